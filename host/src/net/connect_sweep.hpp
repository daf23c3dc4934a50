#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace epos::net {

// One numeric address and TCP port.
struct TcpAddress {
    std::string address;  // numeric; IPv6 without brackets
    std::uint16_t port = 443;
    bool ipv6 = false;
};

// (done, total) as the sweep advances.
using SweepProgress = std::function<void(std::size_t, std::size_t)>;

// Which addresses accept a TCP connection within `timeout`: every connect in flight at once
// (non-blocking sockets waited on together, up to TcpSocket::kMaxConnectWait at a time), so a /24
// where nothing answers costs one timeout, not 254. An address whose connect fails at once
// (refused on loopback, no route, no socket left) is not open.
std::vector<bool> accepting_connections(const std::vector<TcpAddress>& targets,
                                        std::chrono::milliseconds timeout,
                                        const SweepProgress& progress = {});

}  // namespace epos::net
