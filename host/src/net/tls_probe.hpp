#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "net/target.hpp"

namespace epos::net {

struct Timeouts {
    std::chrono::milliseconds connect{3000};
    std::chrono::milliseconds handshake{3000};
};

// What a printer presented in one TLS handshake that trusted nothing.
struct TlsObservation {
    Endpoint endpoint;
    int protocol_version = 0;                       // OpenSSL's TLS1_VERSION ... TLS1_3_VERSION
    std::string version_name;                       // "TLSv1.2"
    std::string cipher;                             // "TLS_AES_256_GCM_SHA384"
    std::vector<std::vector<unsigned char>> chain;  // DER, leaf first, as sent
    bool chain_truncated = false;                   // more than kMaxChain were sent
};

// Certificates kept from one handshake: a printer sends one; a hundred is an attack on the
// reply size (docs/protocol.md: no reply over 1 MiB).
inline constexpr std::size_t kMaxChain = 10;

// Connects to endpoint:target.port and completes a TLS handshake without verifying anything,
// accepting TLS 1.0 and weak keys so that they can be reported rather than hidden behind a
// handshake failure. Throws Failure: unreachable, timeout, not_tls, tls_failed.
TlsObservation probe_tls(const Target& target, const Endpoint& endpoint, const Timeouts& timeouts);

}  // namespace epos::net
