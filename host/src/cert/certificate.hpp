#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace epos::cert {

enum class BasicConstraints { Absent, CaFalse, CaTrue };

struct PublicKey {
    std::string type;   // "RSA", "EC", "Ed25519", "Ed448", "DSA", or OpenSSL's name; "unknown"
    int bits = 0;       // 0 when OpenSSL cannot read the key
    std::string curve;  // EC only: NIST name where there is one ("P-256"), else OpenSSL's
};

// An X.509 certificate as a plain value: every field docs/protocol.md's `certificate` object
// shows, read once at parse time, so that nothing after parsing touches OpenSSL or can fail.
// Parsing is the only door in, and it refuses anything that is not exactly one well-formed
// certificate (the input comes from a server we do not trust yet, and from fuzzers).
class Certificate {
  public:
    // Inputs over this size are refused before OpenSSL sees them: real printer certificates are
    // 1-2 KiB, and the protocol caps a whole reply at 1 MiB.
    static constexpr std::size_t kMaxInput = 64 * 1024;

    // Throws Failure{"bad_certificate", ...} unless `der` is exactly one DER certificate.
    static Certificate from_der(std::span<const unsigned char> der);
    // The first "-----BEGIN CERTIFICATE-----" block of `pem`. Throws Failure{"bad_certificate"}.
    static Certificate from_pem(std::string_view pem);
    // PEM if the bytes start (after whitespace) with "-----BEGIN", DER otherwise.
    static Certificate parse(std::span<const unsigned char> bytes);

    const std::vector<unsigned char>& der() const { return der_; }
    const std::string& pem() const { return pem_; }
    const std::string& sha256() const { return sha256_; }  // lowercase hex, no separators
    const std::string& sha1() const { return sha1_; }
    // For reading aloud and comparing with a browser's certificate viewer: uppercase pairs
    // joined by ':' ("AB:CD:..."), the form Firefox's viewer and `openssl x509 -fingerprint` show.
    std::string sha256_grouped() const;

    const std::string& subject() const { return subject_; }  // RFC 2253: "CN=..,O=.."
    const std::string& issuer() const { return issuer_; }
    const std::string& common_name() const { return common_name_; }  // "" when none
    const std::string& serial() const { return serial_; }            // lowercase hex

    std::chrono::sys_seconds not_before() const { return not_before_; }
    std::chrono::sys_seconds not_after() const { return not_after_; }
    std::string not_before_iso() const;  // "2025-01-31T12:00:00Z"
    std::string not_after_iso() const;
    long validity_days() const;  // whole days from notBefore to notAfter

    bool has_san() const { return has_san_; }  // the extension is present (maybe empty)
    const std::vector<std::string>& san_dns() const { return san_dns_; }
    // Printable: dotted IPv4, RFC 5952 IPv6; a malformed entry as "invalid:<hex>".
    const std::vector<std::string>& san_ips() const { return san_ips_; }
    // The raw iPAddress octets (4 or 16 bytes on a sane certificate): what browsers compare.
    const std::vector<std::vector<unsigned char>>& san_ip_bytes() const { return san_ip_bytes_; }

    int version() const { return version_; }  // 1, 2 or 3
    BasicConstraints basic_constraints() const { return basic_constraints_; }
    bool basic_constraints_critical() const { return basic_constraints_critical_; }
    bool is_ca() const { return basic_constraints_ == BasicConstraints::CaTrue; }
    std::string basic_constraints_text() const;  // "absent", "CA:FALSE", "critical,CA:TRUE"

    bool has_key_usage() const { return has_key_usage_; }
    const std::vector<std::string>& key_usage() const { return key_usage_; }  // RFC 5280 names
    bool has_extended_key_usage() const { return has_extended_key_usage_; }
    // "serverAuth", "clientAuth", ... or the dotted OID of anything else.
    const std::vector<std::string>& extended_key_usage() const { return extended_key_usage_; }

    const PublicKey& key() const { return key_; }
    const std::string& signature_algorithm() const { return signature_algorithm_; }
    // The digest of the signature ("sha1", "sha256", ...); "" when the algorithm has none
    // (Ed25519) or OpenSSL does not know it.
    const std::string& signature_digest() const { return signature_digest_; }
    // Issuer name equals subject name AND the signature verifies with the certificate's own key.
    bool self_signed() const { return self_signed_; }

  private:
    Certificate() = default;

    std::vector<unsigned char> der_;
    std::string pem_, sha256_, sha1_;
    std::string subject_, issuer_, common_name_, serial_;
    std::chrono::sys_seconds not_before_{}, not_after_{};
    bool has_san_ = false;
    std::vector<std::string> san_dns_, san_ips_;
    std::vector<std::vector<unsigned char>> san_ip_bytes_;
    int version_ = 0;
    BasicConstraints basic_constraints_ = BasicConstraints::Absent;
    bool basic_constraints_critical_ = false;
    bool has_key_usage_ = false;
    std::vector<std::string> key_usage_;
    bool has_extended_key_usage_ = false;
    std::vector<std::string> extended_key_usage_;
    PublicKey key_;
    std::string signature_algorithm_, signature_digest_;
    bool self_signed_ = false;

    friend class CertificateReader;
};

// "2025-01-31T12:00:00Z".
std::string to_iso8601(std::chrono::sys_seconds t);

// RFC 5952 text of 4 or 16 address bytes ("127.0.0.1", "fe80::1", "::ffff:10.0.0.1");
// "invalid:<hex>" for any other length.
std::string ip_to_text(std::span<const unsigned char> bytes);

// The address bytes of an IP literal ("10.0.0.1", "::1", "[::1]", "fe80::1%eth0"); empty when
// `text` is not an IP literal.
std::vector<unsigned char> parse_ip(std::string_view text);

}  // namespace epos::cert
