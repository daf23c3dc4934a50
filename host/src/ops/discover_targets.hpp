#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace epos::ops {

// One address and port for discover to try.
struct ProbeTarget {
    std::string address;  // numeric; IPv6 without brackets
    std::uint16_t port = 443;
    bool ipv6 = false;

    std::string url() const;  // "https://address[:port]"
};

// Expands what a person typed: IPv4 CIDR blocks ("192.168.1.0/24": every host address, not the
// network and broadcast ones of a /30 or larger block), addresses ("192.168.1.25", "fd00::25"),
// address:port ("192.168.1.25:8443", "[fd00::25]:8443") and https:// URLs. Throws
// Failure{"bad_request"} for anything else, or for more than kMaxTargets addresses (a /20).
inline constexpr std::size_t kMaxTargets = 4096;
std::vector<ProbeTarget> expand_targets(const std::vector<std::string>& specs,
                                        std::uint16_t default_port);

}  // namespace epos::ops
