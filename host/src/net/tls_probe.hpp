#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
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

// One TLS connection to a printer, handshaken without verifying anything (TLS 1.0 and weak keys
// accepted, so that they can be reported rather than hidden behind a handshake failure), and
// kept open so that inspect sends its ePOS status request over the very connection whose
// certificate it observed: no second handshake, and no window between the two in which another
// server could answer. SIGPIPE stays blocked in the opening thread while it lives (see .cpp).
class TlsConnection {
  public:
    using Clock = std::chrono::steady_clock;

    // Connects to endpoint:target.port and completes the handshake.
    // Throws Failure: unreachable, timeout, not_tls, tls_failed.
    static std::unique_ptr<TlsConnection> open(const Target& target, const Endpoint& endpoint,
                                               const Timeouts& timeouts);
    ~TlsConnection();
    TlsConnection(const TlsConnection&) = delete;
    TlsConnection& operator=(const TlsConnection&) = delete;

    const TlsObservation& observation() const { return observation_; }

    // Application data, each bounded by `deadline`. write_some writes all of `data` or throws;
    // read_some returns at least one byte, or 0 once the printer has closed the connection.
    // Both throw Failure{"timeout"} or Failure{"tls_failed"}.
    std::size_t write_some(std::string_view data, Clock::time_point deadline);
    std::size_t read_some(char* buffer, std::size_t size, Clock::time_point deadline);

  private:
    struct State;  // OpenSSL and socket handles, kept out of this header
    explicit TlsConnection(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
    TlsObservation observation_;
};

}  // namespace epos::net
