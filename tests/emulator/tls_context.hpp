#pragma once

#include <openssl/ssl.h>

#include <string>

#include "identity.hpp"

namespace epos::emulator {

// Sets up a server SSL_CTX the way an old printer might be: the identity's certificate, key and
// chain, TLS versions between min and max (OpenSSL TLS1_VERSION ...), and security level 0 so that
// TLS 1.0/1.1, RSA-1024 and SHA-1 certificates are served rather than refused by OpenSSL's
// defaults (the host must see them to report them). Returns false with `error`
// filled when OpenSSL refuses the certificate or key.
bool configure_tls(SSL_CTX& ctx, const PrinterIdentity& identity, int min_version, int max_version,
                   std::string& error);

}  // namespace epos::emulator
