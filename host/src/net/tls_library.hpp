#pragma once

namespace epos::net {

// Starts OpenSSL the way this system wants it, once, before anything else uses it. POSIX: as
// OpenSSL does by itself (the system's openssl.cnf applies). Windows: without loading any
// openssl.cnf: the path compiled into a cross-built OpenSSL is a folder that any user of the
// machine could create (scripts/windows-deps.sh), so nothing may be read from it.
void init_tls_library();

}  // namespace epos::net
