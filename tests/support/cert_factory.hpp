#pragma once

// Makes keys and X.509 certificates at test time, in every shape an ePOS printer may present
// (docs/browser-behaviour.md §5). Nothing here is meant for production: keys are unencrypted.

#include <string>
#include <string_view>
#include <vector>

namespace epos::testing {

// What to put in a certificate. The defaults make a good printer certificate for 127.0.0.1 apart
// from its SAN (fill san_ips or san_dns, or use shape()).
struct CertSpec {
    enum class Key { Rsa2048, Rsa1024, Rsa4096, EcP256, EcP384, Ed25519 };
    enum class BasicConstraints { Absent, CaFalse, CaTrue };

    Key key = Key::Rsa2048;
    int version = 3;  // 1 => X.509 v1 (no extensions at all)
    std::string common_name = "127.0.0.1";
    std::vector<std::string> san_ips;  // both SAN lists empty => no subjectAltName extension
    std::vector<std::string> san_dns;
    BasicConstraints basic_constraints = BasicConstraints::CaFalse;
    bool basic_constraints_critical = true;
    bool key_usage = true;        // digitalSignature(,keyEncipherment for RSA)(,keyCertSign if CA)
    bool server_auth_eku = true;  // extendedKeyUsage serverAuth
    // When not empty, the extendedKeyUsage value instead (OpenSSL config syntax: "clientAuth",
    // "clientAuth,anyExtendedKeyUsage"); server_auth_eku is then ignored.
    std::string extended_key_usage;
    std::string digest = "sha256";  // "sha1", "sha384", ... (ignored for Ed25519)
    int not_before_days = -1;       // relative to now
    int not_after_days = 365;       // relative to now
    long serial = 0;                // 0 => random
    // false => reuse this process's key of the same type: RSA generation costs 50-250 ms here and
    // the unit tests make dozens of certificates. Set it when a test needs a key never seen before
    // (e.g. a printer that regenerated its certificate).
    bool fresh_key = false;
};

struct GeneratedCert {
    std::string cert_pem;
    std::string key_pem;  // PKCS#8, unencrypted
    std::vector<unsigned char> der;
    std::string sha256;  // lowercase hex, no separators
    std::string sha1;
};

// Makes a key and a certificate for it. Self-signed unless `issuer` is given; then the issuer's
// key signs it and its subject becomes the issuer name. Throws std::runtime_error when OpenSSL
// refuses (e.g. an unknown digest or a malformed IP in san_ips).
GeneratedCert make_certificate(const CertSpec& spec, const GeneratedCert* issuer = nullptr);

// The spec of a named shape for a printer at `address` (IPv4 or IPv6 literal, brackets allowed, or
// a DNS name). The common name is always the address, as on Epson printers.
//   good                  v3, CA:FALSE, SAN = address, EKU serverAuth, RSA-2048, SHA-256, 365 days
//   no-san                good without subjectAltName
//   wrong-san             SAN names another address of the same kind
//   ca-true               basicConstraints CA:TRUE (+keyCertSign)
//   no-basic-constraints  no basicConstraints extension
//   v1                    X.509 version 1 (no extensions)
//   sha1                  signed with SHA-1
//   rsa1024               RSA-1024 key
//   expired               valid from 400 to 30 days ago
//   not-yet-valid         valid from 30 days ahead
//   long-validity         valid 10 years (Epson's default choice in Odoo's old docs)
//   ecdsa                 EC P-256 key
//   ed25519               Ed25519 key
//   dns-san               SAN holds one DNS name only: the address if it is a name, else
//   "localhost" no-eku                no extendedKeyUsage epson-like            what a TM printer
//   makes: v3, CN = IP, no SAN, RSA-2048, 10 years, no EKU
//   too-broad             good, plus the DNS names www.example-bank.com, *.odoo.com and
//                         accounts.google.com (a rogue device posing as the printer)
// Throws std::invalid_argument on an unknown name.
CertSpec shape(std::string_view name, std::string_view address);

// Every name shape() accepts, in the order above.
std::vector<std::string> shape_names();

}  // namespace epos::testing
