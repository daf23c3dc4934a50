#include "cert/certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <memory>

#include "util/failure.hpp"
#include "util/utf8.hpp"

namespace epos::cert {
namespace {

template <auto fn>
struct Deleter {
    template <typename T>
    void operator()(T* p) const {
        fn(p);
    }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

// OpenSSL keeps an error queue per thread; whatever a hostile certificate left there must not
// leak into the next, unrelated OpenSSL call (the TLS probe reads that queue).
struct ErrorQueueGuard {
    ~ErrorQueueGuard() { ERR_clear_error(); }
};

[[noreturn]] void bad(const std::string& why) {
    throw Failure("bad_certificate", "The certificate cannot be read: " + why + ".");
}

std::string hex(std::span<const unsigned char> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

// Names and strings in a certificate are attacker-chosen bytes; JSON needs UTF-8. Keep valid
// UTF-8 as is, show every byte of anything else as \xNN.
std::string printable(std::string_view raw) {
    if (is_valid_utf8(raw) && raw.find('\0') == std::string_view::npos) {
        return std::string(raw);
    }
    std::string out;
    for (unsigned char c : raw) {
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            std::array<char, 5> buf{};
            std::snprintf(buf.data(), buf.size(), "\\x%02x", c);
            out += buf.data();
        }
    }
    return out;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::string name_text(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) {
        throw Failure("internal", "out of memory");
    }
    // RFC 2253 order (most specific first, "CN=..,O=.."), but UTF-8 left as UTF-8 rather than
    // escaped as \C3\A9, since people read it.
    const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) {
        return "(unreadable name)";
    }
    return printable(bio_text(bio.get()));
}

std::string common_name_of(const X509_NAME* name) {
    // The most specific CN, as OpenSSL's and RFC 6125's host checks take it.
    int index = -1;
    for (int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) {
        index = i;
    }
    if (index < 0) {
        return "";
    }
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len < 0) {
        return printable(
            std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                             static_cast<std::size_t>(ASN1_STRING_length(data))));
    }
    std::string out =
        printable(std::string_view(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len)));
    OPENSSL_free(utf8);
    return out;
}

std::string serial_text(const X509* x) {
    BnPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr));
    if (!bn) {
        bad("its serial number is malformed");
    }
    char* text = BN_bn2hex(bn.get());
    if (text == nullptr) {
        throw Failure("internal", "out of memory");
    }
    std::string out(text);
    OPENSSL_free(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return out;
}

std::chrono::sys_seconds time_of(const ASN1_TIME* t, const char* which) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
        bad(std::string("its ") + which + " date is malformed");
    }
    using namespace std::chrono;
    const year_month_day ymd{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                             day{static_cast<unsigned>(tm.tm_mday)}};
    if (!ymd.ok()) {
        bad(std::string("its ") + which + " date is malformed");
    }
    return sys_days{ymd} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

const char* eku_name(int nid) {
    switch (nid) {
        case NID_server_auth:
            return "serverAuth";
        case NID_client_auth:
            return "clientAuth";
        case NID_code_sign:
            return "codeSigning";
        case NID_email_protect:
            return "emailProtection";
        case NID_time_stamp:
            return "timeStamping";
        case NID_OCSP_sign:
            return "OCSPSigning";
        case NID_anyExtendedKeyUsage:
            return "anyExtendedKeyUsage";
        default:
            return nullptr;
    }
}

std::string oid_text(const ASN1_OBJECT* obj) {
    std::array<char, 128> buf{};
    int len = OBJ_obj2txt(buf.data(), static_cast<int>(buf.size()), obj, 1);
    return len > 0 ? std::string(buf.data()) : std::string("unknown");
}

// A critical or non-critical extension that is present but does not decode is a broken
// certificate: say so instead of pretending the extension is absent.
template <typename T>
T* decode_extension(const X509* x, int nid, const char* what, bool* critical = nullptr) {
    int crit = -1;
    void* decoded = X509_get_ext_d2i(x, nid, &crit, nullptr);
    if (decoded == nullptr && crit == -2) {
        bad(std::string("it has more than one ") + what + " extension");
    }
    if (decoded == nullptr && crit >= 0) {
        bad(std::string("its ") + what + " extension is malformed");
    }
    if (critical != nullptr) {
        *critical = crit == 1;
    }
    return static_cast<T*>(decoded);
}

std::string pem_of(const X509* x) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), x) != 1) {
        throw Failure("internal", "cannot write the certificate as PEM");
    }
    return bio_text(bio.get());
}

std::string fingerprint(const X509* x, const EVP_MD* md) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> buf{};
    unsigned int len = 0;
    if (X509_digest(x, md, buf.data(), &len) != 1) {
        throw Failure("internal", "cannot compute the certificate fingerprint");
    }
    return hex(std::span(buf.data(), len));
}

}  // namespace

// Reads every field out of an X509 that d2i_X509 accepted. A friend, so that Certificate keeps
// no OpenSSL type in its header.
class CertificateReader {
  public:
    static Certificate read(X509* x, std::span<const unsigned char> der) {
        Certificate c;
        c.der_.assign(der.begin(), der.end());
        c.pem_ = pem_of(x);
        c.sha256_ = fingerprint(x, EVP_sha256());
        c.sha1_ = fingerprint(x, EVP_sha1());
        c.subject_ = name_text(X509_get_subject_name(x));
        c.issuer_ = name_text(X509_get_issuer_name(x));
        c.common_name_ = common_name_of(X509_get_subject_name(x));
        c.serial_ = serial_text(x);
        c.not_before_ = time_of(X509_get0_notBefore(x), "notBefore");
        c.not_after_ = time_of(X509_get0_notAfter(x), "notAfter");
        c.version_ = static_cast<int>(X509_get_version(x)) + 1;
        if (c.version_ < 1 || c.version_ > 3) {
            // OpenSSL reads any INTEGER there; browsers refuse anything but v1-v3, so no
            // finding could describe how they treat it (found by tests/fuzz/certificate_fuzz).
            throw Failure("bad_certificate", "The certificate claims X.509 version " +
                                                 std::to_string(c.version_) +
                                                 ", which does not exist (1, 2 or 3).");
        }
        read_san(x, c);
        read_basic_constraints(x, c);
        read_key_usage(x, c);
        read_extended_key_usage(x, c);
        read_key(x, c);
        read_signature(x, c);
        return c;
    }

  private:
    static void read_san(const X509* x, Certificate& c) {
        GENERAL_NAMES* names =
            decode_extension<GENERAL_NAMES>(x, NID_subject_alt_name, "subjectAltName");
        if (names == nullptr) {
            return;
        }
        c.has_san_ = true;
        for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
            const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
            if (name->type == GEN_DNS) {
                const ASN1_IA5STRING* s = name->d.dNSName;
                c.san_dns_.push_back(printable(
                    std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                     static_cast<std::size_t>(ASN1_STRING_length(s)))));
            } else if (name->type == GEN_IPADD) {
                const ASN1_OCTET_STRING* s = name->d.iPAddress;
                std::span bytes(ASN1_STRING_get0_data(s),
                                static_cast<std::size_t>(ASN1_STRING_length(s)));
                c.san_ip_bytes_.emplace_back(bytes.begin(), bytes.end());
                c.san_ips_.push_back(ip_to_text(bytes));
            }
        }
        GENERAL_NAMES_free(names);
    }

    static void read_basic_constraints(const X509* x, Certificate& c) {
        bool critical = false;
        BASIC_CONSTRAINTS* bc = decode_extension<BASIC_CONSTRAINTS>(x, NID_basic_constraints,
                                                                    "basicConstraints", &critical);
        if (bc == nullptr) {
            return;
        }
        c.basic_constraints_ = bc->ca ? BasicConstraints::CaTrue : BasicConstraints::CaFalse;
        c.basic_constraints_critical_ = critical;
        BASIC_CONSTRAINTS_free(bc);
    }

    static void read_key_usage(const X509* x, Certificate& c) {
        ASN1_BIT_STRING* bits = decode_extension<ASN1_BIT_STRING>(x, NID_key_usage, "keyUsage");
        if (bits == nullptr) {
            return;
        }
        c.has_key_usage_ = true;
        // RFC 5280 4.2.1.3, in bit order.
        static constexpr std::array<const char*, 9> names = {
            "digitalSignature", "nonRepudiation", "keyEncipherment",
            "dataEncipherment", "keyAgreement",   "keyCertSign",
            "cRLSign",          "encipherOnly",   "decipherOnly"};
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (ASN1_BIT_STRING_get_bit(bits, static_cast<int>(i)) == 1) {
                c.key_usage_.emplace_back(names[i]);
            }
        }
        ASN1_BIT_STRING_free(bits);
    }

    static void read_extended_key_usage(const X509* x, Certificate& c) {
        EXTENDED_KEY_USAGE* eku =
            decode_extension<EXTENDED_KEY_USAGE>(x, NID_ext_key_usage, "extendedKeyUsage");
        if (eku == nullptr) {
            return;
        }
        c.has_extended_key_usage_ = true;
        for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i) {
            const ASN1_OBJECT* obj = sk_ASN1_OBJECT_value(eku, i);
            const char* known = eku_name(OBJ_obj2nid(obj));
            c.extended_key_usage_.push_back(known != nullptr ? known : oid_text(obj));
        }
        EXTENDED_KEY_USAGE_free(eku);
    }

    static void read_key(X509* x, Certificate& c) {
        // X509_get0_pubkey decodes lazily and returns null for keys OpenSSL cannot read (an
        // unknown algorithm, a broken RSA modulus): report "unknown" rather than refuse, since
        // that is a finding about the printer, not garbage input.
        EVP_PKEY* key = X509_get0_pubkey(x);
        if (key == nullptr) {
            c.key_.type = "unknown";
            return;
        }
        c.key_.bits = EVP_PKEY_get_bits(key);
        switch (EVP_PKEY_get_base_id(key)) {
            case EVP_PKEY_RSA:
            case EVP_PKEY_RSA_PSS:
                c.key_.type = "RSA";
                break;
            case EVP_PKEY_EC: {
                c.key_.type = "EC";
                std::array<char, 80> group{};
                std::size_t len = 0;
                if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &len) == 1) {
                    const int nid = OBJ_txt2nid(group.data());
                    const char* nist = nid != NID_undef ? EC_curve_nid2nist(nid) : nullptr;
                    c.key_.curve = nist != nullptr ? nist : group.data();
                }
                break;
            }
            case EVP_PKEY_ED25519:
                c.key_.type = "Ed25519";
                break;
            case EVP_PKEY_ED448:
                c.key_.type = "Ed448";
                break;
            case EVP_PKEY_DSA:
                c.key_.type = "DSA";
                break;
            default: {
                const char* name = EVP_PKEY_get0_type_name(key);
                c.key_.type = name != nullptr ? name : "unknown";
            }
        }
    }

    static void read_signature(X509* x, Certificate& c) {
        const X509_ALGOR* alg = nullptr;
        X509_get0_signature(nullptr, &alg, x);
        const ASN1_OBJECT* oid = nullptr;
        X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
        const int nid = OBJ_obj2nid(oid);
        c.signature_algorithm_ = nid != NID_undef ? OBJ_nid2ln(nid) : oid_text(oid);

        int md_nid = NID_undef;
        if (X509_get_signature_info(x, &md_nid, nullptr, nullptr, nullptr) == 1 &&
            md_nid != NID_undef) {
            const char* sn = OBJ_nid2sn(md_nid);
            std::string digest = sn != nullptr ? sn : "";
            std::transform(digest.begin(), digest.end(), digest.begin(), [](char ch) {
                return static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            });
            c.signature_digest_ = digest;  // "sha1", "sha256", "md5"
        }

        // Self-signed means the same name AND a signature its own key verifies: a leaf that
        // merely copies the CN into the issuer is not self-signed, and trusting it does nothing.
        EVP_PKEY* key = X509_get0_pubkey(x);
        c.self_signed_ = key != nullptr &&
                         X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 &&
                         X509_verify(x, key) == 1;
    }
};

Certificate Certificate::from_der(std::span<const unsigned char> der) {
    ErrorQueueGuard guard;
    if (der.empty()) {
        bad("it is empty");
    }
    if (der.size() > kMaxInput) {
        bad("it is larger than 64 KiB");
    }
    const unsigned char* p = der.data();
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!x) {
        bad("it is not a DER-encoded X.509 certificate");
    }
    const auto used = static_cast<std::size_t>(p - der.data());
    if (used != der.size()) {
        bad("extra bytes follow the certificate");
    }
    // OpenSSL also reads BER (indefinite lengths, long-form small lengths), which TLS and the
    // browsers do not accept, and the fingerprint would be of OpenSSL's re-encoding rather than
    // of the bytes the server sent: only DER that re-encodes to itself is one well-formed
    // certificate (found by tests/hostile, HostileCertificate.IndefiniteLengthBer).
    unsigned char* again = nullptr;
    const int again_size = i2d_X509(x.get(), &again);
    const bool canonical = again_size > 0 && static_cast<std::size_t>(again_size) == der.size() &&
                           std::equal(der.begin(), der.end(), again);
    OPENSSL_free(again);
    if (!canonical) {
        bad("it is not in DER (the distinguished encoding TLS requires)");
    }
    return CertificateReader::read(x.get(), der);
}

Certificate Certificate::from_pem(std::string_view pem) {
    ErrorQueueGuard guard;
    if (pem.size() > kMaxInput) {
        bad("it is larger than 64 KiB");
    }
    static constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
    const auto start = pem.find(begin);
    if (start == std::string_view::npos) {
        bad("no \"-----BEGIN CERTIFICATE-----\" block found");
    }
    // OpenSSL only sees a BEGIN line at the start of a line: begin there, whatever precedes it.
    pem.remove_prefix(start);
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        throw Failure("internal", "out of memory");
    }
    // The block's bytes go through from_der, so PEM gets the same checks as DER (one whole
    // certificate, canonical DER, nothing after it), not OpenSSL's re-encoding of whatever BER
    // the block held.
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
        bad("its PEM block is not a valid certificate");
    }
    std::vector<unsigned char> der(data, data + len);
    const bool is_certificate = std::string_view(name) == "CERTIFICATE";
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (!is_certificate) {
        bad("its PEM block is not a certificate");
    }
    return from_der(der);
}

Certificate Certificate::parse(std::span<const unsigned char> bytes) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text.substr(first).starts_with("-----BEGIN")) {
        return from_pem(text);
    }
    return from_der(bytes);
}

std::string Certificate::sha256_grouped() const {
    std::string out;
    for (std::size_t i = 0; i < sha256_.size(); i += 2) {
        if (i != 0) {
            out += ':';
        }
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(sha256_[i])));
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(sha256_[i + 1])));
    }
    return out;
}

std::string Certificate::not_before_iso() const {
    return to_iso8601(not_before_);
}
std::string Certificate::not_after_iso() const {
    return to_iso8601(not_after_);
}

long Certificate::validity_days() const {
    using namespace std::chrono;
    return static_cast<long>(duration_cast<days>(not_after_ - not_before_).count());
}

std::string Certificate::basic_constraints_text() const {
    switch (basic_constraints_) {
        case BasicConstraints::Absent:
            return "absent";
        case BasicConstraints::CaFalse:
            return basic_constraints_critical_ ? "critical,CA:FALSE" : "CA:FALSE";
        case BasicConstraints::CaTrue:
            return basic_constraints_critical_ ? "critical,CA:TRUE" : "CA:TRUE";
    }
    return "absent";
}

std::string to_iso8601(std::chrono::sys_seconds t) {
    using namespace std::chrono;
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return buf.data();
}

std::string ip_to_text(std::span<const unsigned char> b) {
    std::array<char, 64> buf{};
    if (b.size() == 4) {
        std::snprintf(buf.data(), buf.size(), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        return buf.data();
    }
    if (b.size() != 16) {
        return "invalid:" + hex(b);
    }
    // RFC 5952: IPv4-mapped addresses keep their dotted tail.
    static constexpr std::array<unsigned char, 12> mapped = {0, 0, 0, 0, 0,    0,
                                                             0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(mapped.begin(), mapped.end(), b.begin())) {
        std::snprintf(buf.data(), buf.size(), "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
        return buf.data();
    }
    std::array<unsigned, 8> groups{};
    for (std::size_t i = 0; i < 8; ++i) {
        groups[i] = static_cast<unsigned>(b[2 * i] << 8 | b[2 * i + 1]);
    }
    // RFC 5952 4.2: compress the longest run (the first if tied) of two or more zero groups.
    int best_start = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (groups[static_cast<std::size_t>(i)] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && groups[static_cast<std::size_t>(j)] == 0) {
            ++j;
        }
        if (j - i > best_len && j - i >= 2) {
            best_start = i;
            best_len = j - i;
        }
        i = j;
    }
    std::string out;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') {
            out += ':';
        }
        std::snprintf(buf.data(), buf.size(), "%x", groups[static_cast<std::size_t>(i)]);
        out += buf.data();
    }
    return out;
}

std::vector<unsigned char> parse_ip(std::string_view text) {
    ErrorQueueGuard guard;
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    if (auto zone = text.find('%'); zone != std::string_view::npos) {
        text = text.substr(0, zone);  // fe80::1%eth0: a zone never appears in a certificate
    }
    if (text.empty() || text.size() > 64) {
        return {};
    }
    const std::string copy(text);
    ASN1_OCTET_STRING* bytes = a2i_IPADDRESS(copy.c_str());
    if (bytes == nullptr) {
        return {};
    }
    const unsigned char* data = ASN1_STRING_get0_data(bytes);
    std::vector<unsigned char> out(data, data + ASN1_STRING_length(bytes));
    ASN1_OCTET_STRING_free(bytes);
    return out;
}

}  // namespace epos::cert
