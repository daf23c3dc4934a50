#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <memory>

namespace epos::emulator {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr memory_bio(const std::string& text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
}

std::string openssl_error(const std::string& what) {
    const unsigned long code = ERR_get_error();
    char text[256] = "";
    if (code != 0) {
        ERR_error_string_n(code, text, sizeof text);
    }
    ERR_clear_error();
    return what + (code != 0 ? std::string(": ") + text : std::string());
}

}  // namespace

bool configure_tls(SSL_CTX& ctx, const PrinterIdentity& identity, int min_version, int max_version,
                   std::string& error) {
    SSL_CTX_set_security_level(&ctx, 0);
    // TLS 1.0/1.1 suites are CBC with SHA-1 MACs; "@SECLEVEL=0" keeps them in the list.
    if (SSL_CTX_set_cipher_list(&ctx, "DEFAULT:@SECLEVEL=0") != 1 ||
        SSL_CTX_set_min_proto_version(&ctx, min_version) != 1 ||
        SSL_CTX_set_max_proto_version(&ctx, max_version) != 1) {
        error = openssl_error("cannot set the TLS versions");
        return false;
    }
    // A PEM of ~1 MiB (huge-cert) is fine for PEM_read_bio_X509: it has no size cap.
    BioPtr cert_bio = memory_bio(identity.cert_pem);
    X509* cert = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr || SSL_CTX_use_certificate(&ctx, cert) != 1) {
        X509_free(cert);
        error = openssl_error("the certificate cannot be served");
        return false;
    }
    X509_free(cert);  // SSL_CTX_use_certificate took its own reference
    BioPtr key_bio = memory_bio(identity.key_pem);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
    const bool key_ok = key != nullptr && SSL_CTX_use_PrivateKey(&ctx, key) == 1 &&
                        SSL_CTX_check_private_key(&ctx) == 1;
    EVP_PKEY_free(key);
    if (!key_ok) {
        error = openssl_error("the key does not load or does not match the certificate");
        return false;
    }
    for (const auto& pem : identity.extra_chain_pem) {
        BioPtr bio = memory_bio(pem);
        X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        // On success SSL_CTX_add_extra_chain_cert owns `extra`.
        if (extra == nullptr || SSL_CTX_add_extra_chain_cert(&ctx, extra) != 1) {
            X509_free(extra);
            error = openssl_error("a chain certificate cannot be added");
            return false;
        }
    }
    return true;
}

}  // namespace epos::emulator
