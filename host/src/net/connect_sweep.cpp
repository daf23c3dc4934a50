#include "net/connect_sweep.hpp"

#include <algorithm>

#include "net/socket.hpp"
#include "util/failure.hpp"

namespace epos::net {
namespace {

using Clock = std::chrono::steady_clock;

// A socket whose connect is in flight, or an invalid one when it could not start or finished at
// once (then `open` already says how).
TcpSocket start_connect(const TcpAddress& target, bool& connected) {
    std::string error;
    try {
        auto socket = TcpSocket::create(target.ipv6);
        switch (socket.start_connect(target.address, target.port, error)) {
            case TcpSocket::Connect::InProgress:
                return socket;
            case TcpSocket::Connect::Connected:
                connected = true;
                return {};
            case TcpSocket::Connect::Failed:
                return {};
        }
    } catch (const Failure&) {
        // No socket (out of descriptors): this address cannot be tried, so it is not open.
    }
    return {};
}

}  // namespace

std::vector<bool> accepting_connections(const std::vector<TcpAddress>& targets,
                                        std::chrono::milliseconds timeout,
                                        const SweepProgress& progress) {
    constexpr std::size_t kBatch = TcpSocket::kMaxConnectWait;
    std::vector<bool> open(targets.size(), false);
    std::size_t done = 0;
    for (std::size_t begin = 0; begin < targets.size(); begin += kBatch) {
        const auto end = std::min(targets.size(), begin + kBatch);
        std::vector<TcpSocket> sockets;
        std::vector<std::size_t> index;
        for (auto i = begin; i < end; ++i) {
            bool connected = false;
            auto socket = start_connect(targets[i], connected);
            if (!socket.valid()) {
                open[i] = connected;
                ++done;
                continue;
            }
            sockets.push_back(std::move(socket));
            index.push_back(i);
        }
        const auto deadline = Clock::now() + timeout;
        std::size_t pending = sockets.size();
        while (pending > 0) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) {
                break;
            }
            const int finished = TcpSocket::wait_connects(
                sockets, static_cast<int>(left.count()),
                [&](std::size_t k, bool connected) { open[index[k]] = connected; });
            if (finished < 0) {
                break;
            }
            if (finished == 0) {
                continue;  // a signal, or the deadline: the loop's test decides
            }
            pending -= static_cast<std::size_t>(finished);
            done += static_cast<std::size_t>(finished);
            if (progress) {
                progress(done, targets.size());
            }
        }
        // The ones still in flight have not answered in time: not open (closed with `sockets`).
        done += pending;
        if (progress) {
            progress(done, targets.size());
        }
    }
    return open;
}

}  // namespace epos::net
