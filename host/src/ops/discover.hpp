#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cert/findings.hpp"
#include "ops/context.hpp"
#include "ops/discover_targets.hpp"
#include "ops/inspect.hpp"

namespace epos::ops {

// (done, total, phase) as the scan advances: phase "connect" then "inspect".
using Progress = std::function<void(std::size_t, std::size_t, const char*)>;

struct DiscoverOptions {
    std::chrono::milliseconds connect_timeout{1000};
    std::size_t inspect_workers = 8;
    // What judges an open port: ops::inspect when empty (a test puts one that throws here).
    std::function<InspectReport(const Context&, const std::string&)> inspect;
};

// Why inspecting an open port failed: a Failure's code and message, or `internal` for any
// other exception.
struct DiscoverError {
    std::string code;
    std::string message;
};

// One open port, inspected: either `error` or the rest.
struct DiscoveredPort {
    std::string url;
    std::optional<DiscoverError> error;
    bool is_epos = false;
    std::string sha256;
    std::string subject;
    cert::Verdict verdict;
    std::vector<std::string> findings;  // the findings' codes
    bool trusted_here = false;          // the journal holds its certificate
};

// A target the machine policy kept out of the scan.
struct SkippedTarget {
    std::string url;
    std::string reason;
};

// docs/protocol.md has no discover command: this is the CLI's `discover --json`
// (wire/discover_json.hpp).
struct DiscoverReport {
    std::size_t targets = 0;               // as given
    std::size_t open = 0;                  // allowed and accepting connections
    std::vector<DiscoveredPort> printers;  // the open ports that answered ePOS-Print
    std::vector<DiscoveredPort> others;    // the open ports that did not, or failed
    std::vector<SkippedTarget> skipped;
    std::int64_t elapsed_ms = 0;
};

// Finds the ePOS printers among the targets and judges each one's certificate.
// Targets outside the machine policy's networks are not probed at all (listed in `skipped`).
DiscoverReport discover(const Context& context, const std::vector<ProbeTarget>& targets,
                        const DiscoverOptions& options, const Progress& progress = {});

}  // namespace epos::ops
