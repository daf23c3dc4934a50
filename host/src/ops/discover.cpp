#include "ops/discover.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "net/connect_sweep.hpp"
#include "net/target.hpp"
#include "ops/inspect.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

using Clock = std::chrono::steady_clock;

DiscoveredPort from_report(const std::string& url, const InspectReport& report) {
    DiscoveredPort port;
    port.url = url;
    port.is_epos = report.epos.is_epos;
    port.sha256 = report.leaf().sha256();
    port.subject = report.leaf().subject();
    port.verdict = report.judgement.verdict;
    for (const auto& finding : report.judgement.findings) {
        port.findings.push_back(finding.code);
    }
    port.trusted_here = report.journal_has_leaf;
    return port;
}

DiscoveredPort failed(const std::string& url, std::string code, std::string message) {
    DiscoveredPort port;
    port.url = url;
    port.error = DiscoverError{std::move(code), std::move(message)};
    return port;
}

// One open port judged. Whatever inspect throws becomes this port's error, never the end of the
// scan: an exception escaping a worker thread would end the process (std::terminate).
DiscoveredPort inspect_port(const Context& context, const DiscoverOptions& options,
                            const std::string& url) {
    try {
        return from_report(url,
                           options.inspect ? options.inspect(context, url) : inspect(context, url));
    } catch (const Failure& failure) {
        return failed(url, failure.code(), failure.what());
    } catch (const std::exception& e) {
        return failed(url, "internal", std::string("Internal error: ") + e.what());
    } catch (...) {
        return failed(url, "internal", "Internal error: unknown exception");
    }
}

}  // namespace

DiscoverReport discover(const Context& context, const std::vector<ProbeTarget>& targets,
                        const DiscoverOptions& options, const Progress& progress) {
    const auto started = Clock::now();
    DiscoverReport report;
    report.targets = targets.size();
    std::vector<ProbeTarget> allowed;
    for (const auto& target : targets) {
        const auto cls = net::classify_address(target.address);
        if (context.policy.allows(cls)) {
            allowed.push_back(target);
        } else {
            report.skipped.push_back(
                {target.url(), std::string("the machine policy does not allow ") +
                                   net::to_string(cls) + " addresses"});
        }
    }
    std::vector<net::TcpAddress> addresses;
    addresses.reserve(allowed.size());
    for (const auto& target : allowed) {
        addresses.push_back({target.address, target.port, target.ipv6});
    }
    net::SweepProgress sweep_progress;
    if (progress) {
        sweep_progress = [&progress](std::size_t done, std::size_t total) {
            progress(done, total, "connect");
        };
    }
    const auto open =
        net::accepting_connections(addresses, options.connect_timeout, sweep_progress);
    std::vector<ProbeTarget> candidates;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        if (open[i]) {
            candidates.push_back(allowed[i]);
        }
    }
    report.open = candidates.size();

    // inspect (TLS handshake, ePOS probe, judgement) on every open port, a few at a time.
    std::vector<DiscoveredPort> results(candidates.size());
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
    std::mutex progress_lock;
    const auto worker = [&] {
        for (auto i = next++; i < candidates.size(); i = next++) {
            results[i] = inspect_port(context, options, candidates[i].url());
            const auto count = ++finished;
            if (progress) {
                std::lock_guard lock(progress_lock);
                progress(count, candidates.size(), "inspect");
            }
        }
    };
    std::vector<std::thread> pool;
    const auto workers = std::min(options.inspect_workers, candidates.size());
    for (std::size_t w = 0; w < workers; ++w) {
        pool.emplace_back(worker);
    }
    for (auto& thread : pool) {
        thread.join();
    }

    for (auto& result : results) {
        (!result.error && result.is_epos ? report.printers : report.others)
            .push_back(std::move(result));
    }
    report.elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    return report;
}

}  // namespace epos::ops
