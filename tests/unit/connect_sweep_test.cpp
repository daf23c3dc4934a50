// net::accepting_connections, discover's connect sweep, against real loopback listeners.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loopback_listener.hpp"

#include "net/connect_sweep.hpp"
#include "net/socket.hpp"

namespace epos::testing {
namespace {

using std::chrono::milliseconds;

using Listener = LoopbackListener;

std::vector<net::TcpAddress> block(const std::string& prefix, int first, int last,
                                   std::uint16_t port) {
    std::vector<net::TcpAddress> out;
    for (int i = first; i <= last; ++i) {
        out.push_back({prefix + std::to_string(i), port, false});
    }
    return out;
}

// A real listener on 127.0.0.81 and none elsewhere: exactly that one is open, and the progress
// reaches every target.
TEST(ConnectSweep, FindsTheListenerOnly) {
    Listener listener("127.0.0.81");
    const auto targets = block("127.0.0.", 81 - 1, 81 + 5, listener.port());
    std::size_t last_done = 0;
    const auto open = net::accepting_connections(targets, milliseconds(500),
                                                 [&](std::size_t done, std::size_t total) {
                                                     EXPECT_LE(done, total);
                                                     EXPECT_GE(done, last_done);
                                                     last_done = done;
                                                 });
    ASSERT_EQ(open.size(), targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        EXPECT_EQ(open[i], targets[i].address == "127.0.0.81") << targets[i].address;
    }
    EXPECT_EQ(last_done, targets.size());
}

// More targets than one wait takes (TcpSocket::kMaxConnectWait): the listeners in the second
// batch are found too, and refused loopback connects cost no timeout.
TEST(ConnectSweep, SecondBatchAndRefusedAreFast) {
    Listener first("127.0.3.1");
    const auto port = first.port();
    Listener last("127.0.5.44", port);
    auto targets = block("127.0.3.", 1, 254, port);
    for (const auto& more : {block("127.0.4.", 1, 254, port), block("127.0.5.", 1, 254, port)}) {
        targets.insert(targets.end(), more.begin(), more.end());
    }
    ASSERT_GT(targets.size(), net::TcpSocket::kMaxConnectWait);
    const auto started = std::chrono::steady_clock::now();
    const auto open = net::accepting_connections(targets, milliseconds(5000));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    std::size_t count = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (open[i]) {
            ++count;
            EXPECT_TRUE(targets[i].address == "127.0.3.1" || targets[i].address == "127.0.5.44")
                << targets[i].address;
        }
    }
    EXPECT_EQ(count, 2u);
    // Every other address refuses at once on loopback: nothing waits out the 5 s.
    EXPECT_LT(elapsed, milliseconds(4000));
}

// An IPv6 target goes through an IPv6 socket; nothing listens on ::1 at that port (refused, or
// no IPv6 at all: either way not open). No targets, no sockets.
TEST(ConnectSweep, IPv6NothingListeningAndNoTargets) {
    Listener listener("127.0.0.82");
    const auto open = net::accepting_connections(
        {{"::1", listener.port(), true}, {"127.0.0.82", listener.port(), false}},
        milliseconds(500));
    EXPECT_EQ(open, (std::vector<bool>{false, true}));
    EXPECT_TRUE(net::accepting_connections({}, milliseconds(100)).empty());
}

}  // namespace
}  // namespace epos::testing
