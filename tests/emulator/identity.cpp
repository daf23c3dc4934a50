#include "identity.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "cert_factory.hpp"

namespace epos::emulator {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read the " + std::string(what) + " file " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool is_ip_literal(const std::string& text) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string name_text(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
    return bio_text(bio.get());
}

std::string time_text(const ASN1_TIME* time) {
    BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
    ASN1_TIME_print_ex(bio.get(), time, ASN1_DTFLGS_ISO8601);
    return bio_text(bio.get());
}

std::string hex_digest(const X509* cert, const EVP_MD* md) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(cert, md, digest, &length) != 1) {
        throw std::runtime_error("cannot fingerprint the certificate");
    }
    static const char* kHex = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += kHex[digest[i] >> 4];
        text += kHex[digest[i] & 0x0f];
    }
    return text;
}

// ~1 MiB of subjectAltName DNS entries after the real one: a certificate that parses, is signed
// properly, and is far above what TLS clients accept (OpenSSL's default max_cert_list is 100 KiB).
void make_huge(testing::CertSpec& spec) {
    const std::string label(60, 'h');
    std::size_t total = 0;
    for (int index = 0; total < kHugeCertBytes; ++index) {
        std::string name = label + "." + std::to_string(index) + ".huge.invalid";
        total += name.size() + 2;  // + the GeneralName tag and length
        spec.san_dns.push_back(std::move(name));
    }
}

// Filler certificates that follow the leaf: small EC keys so that making 99 takes milliseconds.
std::vector<std::string> filler_chain(int count) {
    std::vector<std::string> chain;
    for (int index = 0; index < count; ++index) {
        testing::CertSpec spec;
        spec.key = testing::CertSpec::Key::EcP256;
        spec.common_name = "epos-emulator filler " + std::to_string(index + 1);
        spec.basic_constraints = testing::CertSpec::BasicConstraints::CaTrue;
        spec.server_auth_eku = false;
        chain.push_back(testing::make_certificate(spec).cert_pem);
    }
    return chain;
}

}  // namespace

void describe_certificate(PrinterIdentity& identity) {
    BioPtr bio(
        BIO_new_mem_buf(identity.cert_pem.data(), static_cast<int>(identity.cert_pem.size())),
        BIO_free);
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert) {
        throw std::runtime_error("the certificate is not a PEM X.509 certificate");
    }
    identity.sha256 = hex_digest(cert.get(), EVP_sha256());
    identity.sha1 = hex_digest(cert.get(), EVP_sha1());
    identity.subject = name_text(X509_get_subject_name(cert.get()));
    identity.issuer = name_text(X509_get_issuer_name(cert.get()));
    identity.not_before = time_text(X509_get0_notBefore(cert.get()));
    identity.not_after = time_text(X509_get0_notAfter(cert.get()));
    const int der_size = i2d_X509(cert.get(), nullptr);
    identity.der_size = der_size > 0 ? static_cast<std::size_t>(der_size) : 0;
}

PrinterIdentity make_identity(const Options& options) {
    PrinterIdentity identity;
    if (options.cert_file) {
        identity.shape = "file";
        identity.cert_pem = read_file(*options.cert_file, "certificate");
        identity.key_pem = read_file(*options.key_file, "key");
    } else {
        testing::CertSpec spec;
        try {
            spec = testing::shape(options.shape, options.address);
        } catch (const std::invalid_argument& error) {
            throw std::runtime_error(std::string("unknown --shape: ") + error.what());
        }
        if (options.san) {
            spec.san_ips.clear();
            spec.san_dns.clear();
            (is_ip_literal(*options.san) ? spec.san_ips : spec.san_dns).push_back(*options.san);
        }
        if (options.mode == Mode::HugeCert) {
            make_huge(spec);
        }
        const testing::GeneratedCert made = testing::make_certificate(spec);
        identity.shape = options.shape;
        identity.cert_pem = made.cert_pem;
        identity.key_pem = made.key_pem;
    }
    if (options.mode == Mode::HugeChain) {
        identity.extra_chain_pem = filler_chain(kHugeChainLength - 1);
    }
    describe_certificate(identity);
    return identity;
}

}  // namespace epos::emulator
