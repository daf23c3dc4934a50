// What `epos-trust discover` makes of what a person types, and the concurrent connect scan
// against real loopback listeners.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "ops/discover.hpp"
#include "util/failure.hpp"

namespace epos::testing {
namespace {

std::string code_of(const std::vector<std::string>& specs) {
    try {
        ops::expand_targets(specs, 443);
    } catch (const Failure& failure) {
        return failure.code();
    }
    return "accepted";
}

TEST(DiscoverTargets, CidrBlocksSkipNetworkAndBroadcast) {
    const auto targets = ops::expand_targets({"192.168.1.77/24"}, 443);
    ASSERT_EQ(targets.size(), 254u);
    EXPECT_EQ(targets.front().address, "192.168.1.1");
    EXPECT_EQ(targets.back().address, "192.168.1.254");
    EXPECT_EQ(targets.front().url(), "https://192.168.1.1");
    EXPECT_EQ(ops::expand_targets({"10.0.0.8/32"}, 443).size(), 1u);
    EXPECT_EQ(ops::expand_targets({"10.0.0.8/31"}, 443).size(), 2u);
    EXPECT_EQ(ops::expand_targets({"10.0.0.0/20"}, 443).size(), 4094u);
}

TEST(DiscoverTargets, AddressesPortsAndUrls) {
    const auto targets =
        ops::expand_targets({"192.168.1.25", "192.168.1.26:8443", "[fd00::25]:9100", "fd00::26",
                             "https://10.1.2.3:444"},
                            443);
    ASSERT_EQ(targets.size(), 5u);
    EXPECT_EQ(targets[0].url(), "https://192.168.1.25");
    EXPECT_EQ(targets[1].url(), "https://192.168.1.26:8443");
    EXPECT_EQ(targets[2].url(), "https://[fd00::25]:9100");
    EXPECT_TRUE(targets[3].ipv6);
    EXPECT_EQ(targets[3].port, 443);
    EXPECT_EQ(targets[4].url(), "https://10.1.2.3:444");
}

TEST(DiscoverTargets, BadInputRefused) {
    EXPECT_EQ(code_of({"10.0.0.0/8"}), "bad_request");  // too many addresses
    EXPECT_EQ(code_of({"10.0.0.0/19"}), "bad_request");
    EXPECT_EQ(code_of({"fd00::/64"}), "bad_request");
    EXPECT_EQ(code_of({"printer.lan"}), "bad_request");
    EXPECT_EQ(code_of({"https://printer.lan"}), "bad_request");
    EXPECT_EQ(code_of({"1.2.3.4:0"}), "bad_request");
    EXPECT_EQ(code_of({"1.2.3.4:65536"}), "bad_request");
    EXPECT_EQ(code_of({"1.2.3.4/33"}), "bad_request");
    EXPECT_EQ(code_of({"[fd00::1"}), "bad_request");
    EXPECT_EQ(code_of({}), "bad_request");
    std::vector<std::string> many(17, "10.0.0.0/24");
    EXPECT_EQ(code_of(many), "bad_request");
}

// A real listener on 127.0.0.81 and none elsewhere: exactly that one is open.
TEST(AcceptingConnections, FindsTheListenerOnly) {
    const int server = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(server, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.81", &address.sin_addr);
    ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(server, 16), 0);
    socklen_t size = sizeof address;
    ::getsockname(server, reinterpret_cast<sockaddr*>(&address), &size);
    const auto port = ntohs(address.sin_port);

    auto targets = ops::expand_targets({"127.0.0.80/29"}, port);
    std::size_t last_done = 0;
    const auto open =
        ops::accepting_connections(targets, std::chrono::milliseconds(500),
                                   [&](std::size_t done, std::size_t total, const char*) {
                                       EXPECT_LE(done, total);
                                       last_done = done;
                                   });
    ::close(server);
    ASSERT_EQ(open.size(), targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        EXPECT_EQ(open[i], targets[i].address == "127.0.0.81") << targets[i].address;
    }
    EXPECT_EQ(last_done, targets.size());
}

}  // namespace
}  // namespace epos::testing
