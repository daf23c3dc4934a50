#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ops/context.hpp"

namespace epos::ops {

// One address and port to try.
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

// (done, total, phase) as the scan advances: phase "connect" then "inspect".
using Progress = std::function<void(std::size_t, std::size_t, const char*)>;

// Which targets accept a TCP connection within `timeout`: every connect in flight at once
// (non-blocking sockets and poll, up to 512 at a time), so a /24 where nothing answers costs one
// timeout, not 254.
std::vector<bool> accepting_connections(const std::vector<ProbeTarget>& targets,
                                        std::chrono::milliseconds timeout,
                                        const Progress& progress = {});

struct DiscoverOptions {
    std::chrono::milliseconds connect_timeout{1000};
    std::size_t inspect_workers = 8;
};

// Finds the ePOS printers among the targets and judges each one's certificate.
// Targets outside the machine policy's networks are not probed at all (listed in `skipped`).
// Returns {targets, open, printers:[{url, is_epos, sha256, subject, verdict, findings:[codes],
// trusted_here}], others:[{url, error|not_epos}], skipped:[{url, reason}], elapsed_ms}; printers
// are the open ports that answered ePOS-Print, others the open ports that did not.
nlohmann::json discover(const Context& context, const std::vector<ProbeTarget>& targets,
                        const DiscoverOptions& options, const Progress& progress = {});

}  // namespace epos::ops
