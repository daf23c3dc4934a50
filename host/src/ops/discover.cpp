#include "ops/discover.hpp"

// POSIX sockets; the Windows host (built with vcpkg, not here) reports discover as unsupported.
#ifndef _WIN32
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>

#include "net/target.hpp"
#include "ops/inspect.hpp"
#include "util/failure.hpp"

namespace epos::ops {
#ifndef _WIN32
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void bad(const std::string& why) {
    throw Failure("bad_request", why);
}

std::uint16_t parse_port(const std::string& text) {
    if (text.empty() || text.size() > 5 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        bad("\"" + text + "\" is not a port.");
    }
    const auto value = std::stoul(text);
    if (value == 0 || value > 65535) {
        bad("\"" + text + "\" is not a port.");
    }
    return static_cast<std::uint16_t>(value);
}

void add_cidr(std::vector<ProbeTarget>& out, const std::string& spec, std::uint16_t port) {
    const auto slash = spec.find('/');
    in_addr base{};
    if (::inet_pton(AF_INET, spec.substr(0, slash).c_str(), &base) != 1) {
        bad("\"" + spec + "\": only IPv4 blocks can be scanned (an IPv6 /64 is far too big).");
    }
    const auto bits_text = spec.substr(slash + 1);
    if (bits_text.empty() || bits_text.size() > 2 ||
        !std::all_of(bits_text.begin(), bits_text.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
        bad("\"" + spec + "\": the prefix length must be a number.");
    }
    const int bits = std::stoi(bits_text);
    if (bits < 20 || bits > 32) {
        bad("\"" + spec + "\": scan a block of /20 to /32 (at most 4096 addresses).");
    }
    const std::uint32_t mask = bits == 32 ? 0xffffffffu : ~((1u << (32 - bits)) - 1u);
    const std::uint32_t first = ntohl(base.s_addr) & mask;
    const std::uint32_t count = 1u << (32 - bits);
    // A /31 and /32 have no network or broadcast address; larger blocks skip both.
    const std::uint32_t skip = count >= 4 ? 1u : 0u;
    for (std::uint32_t i = skip; i < count - skip; ++i) {
        in_addr one{};
        one.s_addr = htonl(first + i);
        char text[INET_ADDRSTRLEN] = {};
        ::inet_ntop(AF_INET, &one, text, sizeof text);
        out.push_back({text, port, false});
    }
}

void add_one(std::vector<ProbeTarget>& out, std::string spec, std::uint16_t port) {
    if (spec.rfind("https://", 0) == 0) {
        const auto target = net::parse_target(spec);
        if (!target.host_is_ip) {
            bad("\"" + spec + "\": discover takes addresses, not names.");
        }
        out.push_back({target.host, target.port, target.host.find(':') != std::string::npos});
        return;
    }
    if (!spec.empty() && spec.front() == '[') {  // [v6]:port or [v6]
        const auto close = spec.find(']');
        if (close == std::string::npos) {
            bad("\"" + spec + "\": missing ']'.");
        }
        if (close + 1 < spec.size()) {
            if (spec[close + 1] != ':') {
                bad("\"" + spec + "\" is not an address.");
            }
            port = parse_port(spec.substr(close + 2));
        }
        spec = spec.substr(1, close - 1);
    } else if (std::count(spec.begin(), spec.end(), ':') == 1) {  // v4:port
        const auto colon = spec.find(':');
        port = parse_port(spec.substr(colon + 1));
        spec = spec.substr(0, colon);
    }
    in_addr v4{};
    in6_addr v6{};
    if (::inet_pton(AF_INET, spec.c_str(), &v4) == 1) {
        out.push_back({spec, port, false});
    } else if (::inet_pton(AF_INET6, spec.c_str(), &v6) == 1) {
        out.push_back({spec, port, true});
    } else {
        bad("\"" + spec +
            "\" is not an address, an address:port or an IPv4 block like 192.168.1.0/24.");
    }
}

// One non-blocking connect; -1 when it failed at once (refused on loopback, no route...).
int start_connect(const ProbeTarget& target) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (target.ipv6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(target.port);
        ::inet_pton(AF_INET6, target.address.c_str(), &a->sin6_addr);
        length = sizeof(sockaddr_in6);
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(target.port);
        ::inet_pton(AF_INET, target.address.c_str(), &a->sin_addr);
        length = sizeof(sockaddr_in);
    }
    const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    if (::connect(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0 || errno == EINPROGRESS) {
        return fd;
    }
    ::close(fd);
    return -1;
}

}  // namespace

std::string ProbeTarget::url() const {
    const auto host = ipv6 ? "[" + address + "]" : address;
    return "https://" + host + (port == 443 ? "" : ":" + std::to_string(port));
}

std::vector<ProbeTarget> expand_targets(const std::vector<std::string>& specs,
                                        std::uint16_t default_port) {
    std::vector<ProbeTarget> out;
    for (const auto& spec : specs) {
        if (spec.find('/') != std::string::npos && spec.rfind("https://", 0) != 0) {
            add_cidr(out, spec, default_port);
        } else {
            add_one(out, spec, default_port);
        }
        if (out.size() > kMaxTargets) {
            bad("More than " + std::to_string(kMaxTargets) + " addresses: scan a smaller block.");
        }
    }
    if (out.empty()) {
        bad("Name a network (192.168.1.0/24) or addresses to scan.");
    }
    return out;
}

std::vector<bool> accepting_connections(const std::vector<ProbeTarget>& targets,
                                        std::chrono::milliseconds timeout,
                                        const Progress& progress) {
    constexpr std::size_t kBatch = 512;  // well below the usual 1024 open files
    std::vector<bool> open(targets.size(), false);
    std::size_t done = 0;
    for (std::size_t begin = 0; begin < targets.size(); begin += kBatch) {
        const auto end = std::min(targets.size(), begin + kBatch);
        std::vector<pollfd> fds;
        std::vector<std::size_t> index;
        for (auto i = begin; i < end; ++i) {
            const int fd = start_connect(targets[i]);
            if (fd < 0) {
                ++done;
                continue;
            }
            fds.push_back({fd, POLLOUT, 0});
            index.push_back(i);
        }
        const auto deadline = Clock::now() + timeout;
        std::size_t pending = fds.size();
        while (pending > 0) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) {
                break;
            }
            const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
            if (ready <= 0) {
                if (ready < 0 && errno == EINTR) {
                    continue;
                }
                break;
            }
            for (std::size_t k = 0; k < fds.size(); ++k) {
                if (fds[k].fd < 0 || fds[k].revents == 0) {
                    continue;
                }
                int error = 0;
                socklen_t size = sizeof error;
                ::getsockopt(fds[k].fd, SOL_SOCKET, SO_ERROR, &error, &size);
                open[index[k]] = error == 0 && (fds[k].revents & POLLOUT) != 0;
                ::close(fds[k].fd);
                fds[k].fd = -1;  // poll ignores negative descriptors
                --pending;
                ++done;
            }
            if (progress) {
                progress(done, targets.size(), "connect");
            }
        }
        for (auto& entry : fds) {
            if (entry.fd >= 0) {
                ::close(entry.fd);
                ++done;
            }
        }
        if (progress) {
            progress(done, targets.size(), "connect");
        }
    }
    return open;
}

#else
std::string ProbeTarget::url() const {
    return "https://" + address + ":" + std::to_string(port);
}
std::vector<ProbeTarget> expand_targets(const std::vector<std::string>&, std::uint16_t) {
    throw Failure("unsupported", "discover is not available on Windows yet.");
}
std::vector<bool> accepting_connections(const std::vector<ProbeTarget>&, std::chrono::milliseconds,
                                        const Progress&) {
    throw Failure("unsupported", "discover is not available on Windows yet.");
}
namespace {
using Clock = std::chrono::steady_clock;
}
#endif

nlohmann::json discover(const Context& context, const std::vector<ProbeTarget>& targets,
                        const DiscoverOptions& options, const Progress& progress) {
    const auto started = Clock::now();
    nlohmann::json skipped = nlohmann::json::array();
    std::vector<ProbeTarget> allowed;
    for (const auto& target : targets) {
        const auto cls = net::classify_address(target.address);
        if (context.policy.allows(cls)) {
            allowed.push_back(target);
        } else {
            skipped.push_back({{"url", target.url()},
                               {"reason", std::string("the machine policy does not allow ") +
                                              net::to_string(cls) + " addresses"}});
        }
    }
    const auto open = accepting_connections(allowed, options.connect_timeout, progress);
    std::vector<ProbeTarget> candidates;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        if (open[i]) {
            candidates.push_back(allowed[i]);
        }
    }

    // inspect (TLS handshake, ePOS probe, judgement) on every open port, a few at a time.
    std::vector<nlohmann::json> results(candidates.size());
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
    std::mutex progress_lock;
    const auto worker = [&] {
        for (auto i = next++; i < candidates.size(); i = next++) {
            const auto url = candidates[i].url();
            try {
                const auto report = inspect(context, url);
                nlohmann::json codes = nlohmann::json::array();
                for (const auto& finding : report.judgement.findings) {
                    codes.push_back(finding.code);
                }
                results[i] = {{"url", url},
                              {"is_epos", report.epos.is_epos},
                              {"sha256", report.leaf().sha256()},
                              {"subject", report.leaf().subject()},
                              {"verdict", report.judgement.verdict.to_json()},
                              {"findings", codes},
                              {"trusted_here", report.journal_has_leaf}};
            } catch (const Failure& failure) {
                results[i] = {{"url", url},
                              {"error", {{"code", failure.code()}, {"message", failure.what()}}}};
            }
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

    nlohmann::json printers = nlohmann::json::array();
    nlohmann::json others = nlohmann::json::array();
    for (auto& result : results) {
        if (result.contains("is_epos") && result["is_epos"].get<bool>()) {
            printers.push_back(std::move(result));
        } else {
            others.push_back(std::move(result));
        }
    }
    return {
        {"targets", targets.size()},
        {"open", candidates.size()},
        {"printers", printers},
        {"others", others},
        {"skipped", skipped},
        {"elapsed_ms",
         std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()}};
}

}  // namespace epos::ops
