// What `epos-trust discover` makes of what a person types (ops/discover_targets.hpp).
#include <gtest/gtest.h>

#include "ops/discover_targets.hpp"
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

// The address syntax is util's (the same as inet_pton's): other IPv4 spellings are not addresses.
TEST(DiscoverTargets, AddressSyntaxIsInetPtons) {
    EXPECT_EQ(code_of({"192.168.01.1"}), "bad_request");
    EXPECT_EQ(code_of({"0x7f.0.0.1"}), "bad_request");
    EXPECT_EQ(code_of({"3232235777"}), "bad_request");
    EXPECT_EQ(code_of({"192.168.1.256"}), "bad_request");
    EXPECT_EQ(code_of({"fe80::1%eth0"}), "bad_request");
    EXPECT_EQ(code_of({"192.168.01.0/24"}), "bad_request");
    EXPECT_EQ(code_of({"10.0.0.0/2a"}), "bad_request");
    EXPECT_EQ(code_of({"[fd00::1]x"}), "bad_request");
    const auto mapped = ops::expand_targets({"::ffff:10.0.0.1", "[::1]:8443"}, 443);
    ASSERT_EQ(mapped.size(), 2u);
    EXPECT_TRUE(mapped[0].ipv6);
    EXPECT_EQ(mapped[0].address, "::ffff:10.0.0.1");  // as typed
    EXPECT_EQ(mapped[1].url(), "https://[::1]:8443");
}

// A block's addresses are written out in dotted quads across an octet boundary, and the port
// given applies to each.
TEST(DiscoverTargets, CidrCrossesOctetsWithTheDefaultPort) {
    const auto targets = ops::expand_targets({"10.9.0.0/23"}, 8443);
    ASSERT_EQ(targets.size(), 510u);
    EXPECT_EQ(targets[254].address, "10.9.0.255");
    EXPECT_EQ(targets[255].address, "10.9.1.0");
    EXPECT_EQ(targets.back().address, "10.9.1.254");
    EXPECT_EQ(targets.back().url(), "https://10.9.1.254:8443");
    EXPECT_FALSE(targets.back().ipv6);
}

}  // namespace
}  // namespace epos::testing
