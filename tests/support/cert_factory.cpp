#include "cert_factory.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace epos::testing {
namespace {

template <auto fn>
struct Deleter {
    template <typename T>
    void operator()(T* p) const {
        fn(p);
    }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

[[noreturn]] void fail(const std::string& what) {
    std::string message = "cert_factory: " + what;
    if (unsigned long err = ERR_get_error(); err != 0) {
        std::array<char, 256> buf{};
        ERR_error_string_n(err, buf.data(), buf.size());
        message += ": ";
        message += buf.data();
    }
    ERR_clear_error();
    throw std::runtime_error(message);
}

template <typename T>
T* check(T* p, const char* what) {
    if (p == nullptr) {
        fail(what);
    }
    return p;
}

void check(int rc, const char* what) {
    if (rc <= 0) {
        fail(what);
    }
}

PkeyPtr generate_key(CertSpec::Key key) {
    EVP_PKEY* pkey = nullptr;
    switch (key) {
        case CertSpec::Key::Rsa1024:
            pkey = EVP_RSA_gen(1024);
            break;
        case CertSpec::Key::Rsa2048:
            pkey = EVP_RSA_gen(2048);
            break;
        case CertSpec::Key::Rsa4096:
            pkey = EVP_RSA_gen(4096);
            break;
        case CertSpec::Key::EcP256:
            pkey = EVP_EC_gen("P-256");
            break;
        case CertSpec::Key::EcP384:
            pkey = EVP_EC_gen("P-384");
            break;
        case CertSpec::Key::Ed25519:
            pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
            break;
    }
    return PkeyPtr(check(pkey, "key generation failed"));
}

// One key per type per process, for specs that do not ask for a fresh key.
PkeyPtr key_for(const CertSpec& spec) {
    if (spec.fresh_key) {
        return generate_key(spec.key);
    }
    static std::mutex mutex;
    static std::map<CertSpec::Key, PkeyPtr> cache;
    std::lock_guard lock(mutex);
    PkeyPtr& cached = cache[spec.key];
    if (!cached) {
        cached = generate_key(spec.key);
    }
    check(EVP_PKEY_up_ref(cached.get()), "EVP_PKEY_up_ref");
    return PkeyPtr(cached.get());
}

std::string bio_to_string(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(len));
}

std::string to_hex(const unsigned char* data, unsigned int len) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0x0f];
    }
    return out;
}

std::string fingerprint(const X509* cert, const EVP_MD* md) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> buf{};
    unsigned int len = 0;
    check(X509_digest(cert, md, buf.data(), &len), "X509_digest failed");
    return to_hex(buf.data(), len);
}

void set_serial(X509* cert, long serial) {
    ASN1_INTEGER* field = X509_get_serialNumber(cert);
    if (serial != 0) {
        check(ASN1_INTEGER_set_int64(field, serial), "serial");
        return;
    }
    // 63 random bits, positive, never zero: what CAs do since the CA/B Forum ballot 164.
    BnPtr bn(check(BN_new(), "BN_new"));
    check(BN_rand(bn.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ODD), "BN_rand");
    check(BN_to_ASN1_INTEGER(bn.get(), field) != nullptr ? 1 : 0, "BN_to_ASN1_INTEGER");
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
    if (!ext) {
        fail("extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
    }
    check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

// Build the SAN by hand: a2i_IPADDRESS turns IPv6 text into the 16-byte iPAddress browsers compare.
void add_subject_alt_name(X509* cert, const CertSpec& spec) {
    NamesPtr names(check(GENERAL_NAMES_new(), "GENERAL_NAMES_new"));
    for (const auto& dns : spec.san_dns) {
        GENERAL_NAME* name = check(GENERAL_NAME_new(), "GENERAL_NAME_new");
        ASN1_IA5STRING* text = ASN1_IA5STRING_new();
        if (text == nullptr ||
            ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size())) <= 0) {
            ASN1_IA5STRING_free(text);
            GENERAL_NAME_free(name);
            fail("SAN DNS name " + dns);
        }
        GENERAL_NAME_set0_value(name, GEN_DNS, text);
        sk_GENERAL_NAME_push(names.get(), name);
    }
    for (const auto& ip : spec.san_ips) {
        ASN1_OCTET_STRING* bytes = a2i_IPADDRESS(ip.c_str());
        if (bytes == nullptr) {
            fail("SAN IP address " + ip + " is not an IP literal");
        }
        GENERAL_NAME* name = check(GENERAL_NAME_new(), "GENERAL_NAME_new");
        GENERAL_NAME_set0_value(name, GEN_IPADD, bytes);
        sk_GENERAL_NAME_push(names.get(), name);
    }
    // Not critical: the subject is not empty (RFC 5280 4.2.1.6).
    check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT),
          "subjectAltName");
}

std::string strip_brackets(std::string_view address) {
    if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
        address = address.substr(1, address.size() - 2);
    }
    return std::string(address);
}

bool is_ip_literal(const std::string& address) {
    ASN1_OCTET_STRING* bytes = a2i_IPADDRESS(address.c_str());
    ASN1_OCTET_STRING_free(bytes);
    ERR_clear_error();
    return bytes != nullptr;
}

// Another address of the same kind, never equal to `address`.
std::string other_address(const std::string& address) {
    if (!is_ip_literal(address)) {
        return "other-" + address;
    }
    if (address.find(':') != std::string::npos) {
        return address == "fd00::99" ? "fd00::98" : "fd00::99";
    }
    return address == "127.0.0.99" ? "127.0.0.98" : "127.0.0.99";
}

const std::vector<std::string>& names() {
    // clang-format off
    static const std::vector<std::string> all = {
        "good",    "no-san",  "wrong-san", "ca-true",       "no-basic-constraints", "v1",
        "sha1",    "rsa1024", "expired",   "not-yet-valid", "long-validity",        "ecdsa",
        "ed25519", "dns-san", "no-eku",    "epson-like",    "too-broad"};
    // clang-format on
    return all;
}

}  // namespace

GeneratedCert make_certificate(const CertSpec& spec, const GeneratedCert* issuer) {
    if (spec.version != 1 && spec.version != 3) {
        throw std::invalid_argument("cert_factory: version must be 1 or 3");
    }
    PkeyPtr key = key_for(spec);

    X509Ptr issuer_cert;
    PkeyPtr issuer_key;
    if (issuer != nullptr) {
        BioPtr cert_bio(check(
            BIO_new_mem_buf(issuer->cert_pem.data(), static_cast<int>(issuer->cert_pem.size())),
            "BIO"));
        issuer_cert.reset(check(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr),
                                "issuer certificate PEM"));
        BioPtr key_bio(
            check(BIO_new_mem_buf(issuer->key_pem.data(), static_cast<int>(issuer->key_pem.size())),
                  "BIO"));
        issuer_key.reset(check(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr),
                               "issuer key PEM"));
    }

    X509Ptr cert(check(X509_new(), "X509_new"));
    check(X509_set_version(cert.get(), spec.version - 1), "X509_set_version");
    set_serial(cert.get(), spec.serial);

    X509_NAME* subject = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(
              subject, "CN", MBSTRING_UTF8,
              reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0),
          "subject CN");
    check(X509_set_issuer_name(cert.get(),
                               issuer_cert ? X509_get_subject_name(issuer_cert.get()) : subject),
          "issuer name");

    constexpr long day = 24L * 60 * 60;
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before_days * day) != nullptr
              ? 1
              : 0,
          "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after_days * day) != nullptr ? 1
                                                                                                : 0,
          "notAfter");
    check(X509_set_pubkey(cert.get(), key.get()), "X509_set_pubkey");

    if (spec.version == 3) {
        X509V3_CTX ctx;
        X509V3_set_ctx(&ctx, issuer_cert ? issuer_cert.get() : cert.get(), cert.get(), nullptr,
                       nullptr, 0);
        const bool ca = spec.basic_constraints == CertSpec::BasicConstraints::CaTrue;
        if (spec.basic_constraints != CertSpec::BasicConstraints::Absent) {
            add_extension(cert.get(), &ctx, NID_basic_constraints,
                          std::string(spec.basic_constraints_critical ? "critical," : "") +
                              (ca ? "CA:TRUE" : "CA:FALSE"));
        }
        if (spec.key_usage) {
            // keyEncipherment only makes sense for RSA (RSA key exchange); EC and EdDSA keys sign.
            const bool rsa = spec.key == CertSpec::Key::Rsa1024 ||
                             spec.key == CertSpec::Key::Rsa2048 ||
                             spec.key == CertSpec::Key::Rsa4096;
            std::string usage = "critical,digitalSignature";
            if (rsa) {
                usage += ",keyEncipherment";
            }
            if (ca) {
                usage += ",keyCertSign";
            }
            add_extension(cert.get(), &ctx, NID_key_usage, usage);
        }
        if (!spec.extended_key_usage.empty()) {
            add_extension(cert.get(), &ctx, NID_ext_key_usage, spec.extended_key_usage);
        } else if (spec.server_auth_eku) {
            add_extension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth");
        }
        add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
        if (!spec.san_ips.empty() || !spec.san_dns.empty()) {
            add_subject_alt_name(cert.get(), spec);
        }
    }

    EVP_PKEY* signer = issuer_key ? issuer_key.get() : key.get();
    const EVP_MD* md = nullptr;  // Ed25519 signs without a separate digest
    if (EVP_PKEY_get_id(signer) != EVP_PKEY_ED25519) {
        md = EVP_get_digestbyname(spec.digest.c_str());
        if (md == nullptr) {
            fail("unknown digest " + spec.digest);
        }
    }
    check(X509_sign(cert.get(), signer, md), "X509_sign");

    GeneratedCert out;
    BioPtr pem(check(BIO_new(BIO_s_mem()), "BIO"));
    check(PEM_write_bio_X509(pem.get(), cert.get()), "PEM_write_bio_X509");
    out.cert_pem = bio_to_string(pem.get());
    BioPtr key_pem(check(BIO_new(BIO_s_mem()), "BIO"));
    check(PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
          "PEM_write_bio_PrivateKey");
    out.key_pem = bio_to_string(key_pem.get());

    int der_len = i2d_X509(cert.get(), nullptr);
    check(der_len, "i2d_X509");
    out.der.resize(static_cast<size_t>(der_len));
    unsigned char* p = out.der.data();
    check(i2d_X509(cert.get(), &p), "i2d_X509");

    out.sha256 = fingerprint(cert.get(), EVP_sha256());
    out.sha1 = fingerprint(cert.get(), EVP_sha1());
    return out;
}

CertSpec shape(std::string_view name, std::string_view address_view) {
    const std::string address = strip_brackets(address_view);
    const bool ip = is_ip_literal(address);

    CertSpec spec;
    spec.common_name = address;
    if (ip) {
        spec.san_ips = {address};
    } else {
        spec.san_dns = {address};
    }

    if (name == "good") {
    } else if (name == "no-san") {
        spec.san_ips.clear();
        spec.san_dns.clear();
    } else if (name == "wrong-san") {
        if (ip) {
            spec.san_ips = {other_address(address)};
        } else {
            spec.san_dns = {other_address(address)};
        }
    } else if (name == "ca-true") {
        spec.basic_constraints = CertSpec::BasicConstraints::CaTrue;
    } else if (name == "no-basic-constraints") {
        spec.basic_constraints = CertSpec::BasicConstraints::Absent;
    } else if (name == "v1") {
        spec.version = 1;
    } else if (name == "sha1") {
        spec.digest = "sha1";
    } else if (name == "rsa1024") {
        spec.key = CertSpec::Key::Rsa1024;
    } else if (name == "expired") {
        spec.not_before_days = -400;
        spec.not_after_days = -30;
    } else if (name == "not-yet-valid") {
        spec.not_before_days = 30;
        spec.not_after_days = 395;
    } else if (name == "long-validity") {
        spec.not_after_days = 3650;
    } else if (name == "ecdsa") {
        spec.key = CertSpec::Key::EcP256;
    } else if (name == "ed25519") {
        spec.key = CertSpec::Key::Ed25519;
    } else if (name == "dns-san") {
        spec.san_ips.clear();
        spec.san_dns = {ip ? std::string("localhost") : address};
    } else if (name == "no-eku") {
        spec.server_auth_eku = false;
    } else if (name == "epson-like") {
        spec.san_ips.clear();
        spec.san_dns.clear();
        spec.not_after_days = 3650;
        spec.server_auth_eku = false;
    } else if (name == "too-broad") {
        // A rogue device at the printer's address: its own name, plus sites a trust must
        // never cover.
        spec.san_dns.insert(spec.san_dns.end(),
                            {"www.example-bank.com", "*.odoo.com", "accounts.google.com"});
    } else {
        throw std::invalid_argument("unknown certificate shape: " + std::string(name));
    }
    return spec;
}

std::vector<std::string> shape_names() {
    return names();
}

}  // namespace epos::testing
