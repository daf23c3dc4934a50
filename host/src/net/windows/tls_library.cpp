#include "net/tls_library.hpp"

#include <openssl/ssl.h>

namespace epos::net {

void init_tls_library() {
    // The first initialisation decides: a later OPENSSL_init_ssl asking for the configuration
    // (SSL_CTX_new, libcurl) then finds it already settled and loads nothing.
    OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
}

}  // namespace epos::net
