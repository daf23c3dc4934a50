#include "util/address_class.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "util/failure.hpp"

namespace epos {
namespace {

// What the platform's inet_pton makes of `text`: the parser in util must agree with it, since
// the network policy classified through inet_pton before the classes moved to util.
std::optional<std::vector<unsigned char>> system_parse(const std::string& text) {
    unsigned char buffer[16] = {};
    if (inet_pton(AF_INET, text.c_str(), buffer) == 1) {
        return std::vector<unsigned char>(buffer, buffer + 4);
    }
    if (inet_pton(AF_INET6, text.c_str(), buffer) == 1) {
        return std::vector<unsigned char>(buffer, buffer + 16);
    }
    return std::nullopt;
}

TEST(AddressClassParse, AgreesWithInetPtonOnChosenSpellings) {
    for (const std::string text : {"127.0.0.1",
                                   "0.0.0.0",
                                   "255.255.255.255",
                                   "256.1.1.1",
                                   "01.2.3.4",
                                   "1.2.3",
                                   "1.2.3.4.",
                                   "1.2.3.4.5",
                                   ".1.2.3.4",
                                   "1..2.3",
                                   "0x7f.0.0.1",
                                   "3232235777",
                                   "1.2.3.04",
                                   " 1.2.3.4",
                                   "::",
                                   "::1",
                                   ":::",
                                   "1::",
                                   "::1:",
                                   ":1::",
                                   "1:2:3:4:5:6:7:8",
                                   "1:2:3:4:5:6:7:8:9",
                                   "1:2:3:4:5:6:7::8",
                                   "1:2:3:4:5:6:7::",
                                   "::1:2:3:4:5:6:7",
                                   "1::2::3",
                                   "fe80::1",
                                   "FE80::ABCD",
                                   "fe80::1%eth0",
                                   "[::1]",
                                   "12345::",
                                   "::ffff:192.168.1.25",
                                   "::ffff:1.2.3",
                                   "::1.2.3.4",
                                   "1:2:3:4:5:6:1.2.3.4",
                                   "1:2:3:4:5:6:7:1.2.3.4",
                                   "::ffff:01.2.3.4",
                                   "g::1",
                                   "2001:db8::",
                                   "2001:0db8:0000::0001",
                                   "2001:db8:::1",
                                   ""}) {
        EXPECT_EQ(parse_ip_literal(text), system_parse(text)) << "\"" << text << "\"";
    }
}

// A differential fuzz over the characters that make up addresses: a fixed seed, so that a
// failure is reproducible, and printed, so that it can be varied by hand.
TEST(AddressClassParse, AgreesWithInetPtonOnRandomSpellings) {
    constexpr unsigned kSeed = 20261203;
    std::mt19937 random(kSeed);
    const std::string alphabet = "0123456789abcdefABCDEFg:.:.:.%x";
    int accepted = 0;
    for (int round = 0; round < 200000; ++round) {
        std::string text;
        const auto length = std::uniform_int_distribution<int>(0, 24)(random);
        for (int i = 0; i < length; ++i) {
            text += alphabet[std::uniform_int_distribution<std::size_t>(
                0, alphabet.size() - 1)(random)];
        }
        const auto ours = parse_ip_literal(text);
        ASSERT_EQ(ours, system_parse(text)) << "seed " << kSeed << ": \"" << text << "\"";
        accepted += ours.has_value();
    }
    EXPECT_GT(accepted, 0);  // the alphabet does reach valid addresses
}

TEST(AddressClassParse, RefusesEmbeddedNul) {
    // inet_pton would stop at the NUL and accept "1.2.3.4"; a string_view carries it on.
    EXPECT_FALSE(parse_ip_literal(std::string_view("1.2.3.4\0x", 9)).has_value());
}

TEST(AddressClassBytes, ClassifiesBytesLikeText) {
    const std::vector<unsigned char> v4{192, 168, 1, 25};
    EXPECT_EQ(classify_ip_bytes(v4), AddressClass::Private);
    EXPECT_EQ(classify_ip_bytes(*parse_ip_literal("fd00::25")), AddressClass::Ula);
    EXPECT_EQ(classify_ip_bytes(std::vector<unsigned char>{1, 2, 3}), AddressClass::Unspecified);
    EXPECT_THROW(classify_address("printer.lan"), Failure);
}

TEST(AddressClassLocal, LocalClassesAreTheShopsNetworks) {
    EXPECT_TRUE(is_local_class(AddressClass::Loopback));
    EXPECT_TRUE(is_local_class(AddressClass::Private));
    EXPECT_TRUE(is_local_class(AddressClass::LinkLocal));
    EXPECT_TRUE(is_local_class(AddressClass::Ula));
    EXPECT_TRUE(is_local_class(AddressClass::Cgnat));
    EXPECT_FALSE(is_local_class(AddressClass::Public));
    EXPECT_FALSE(is_local_class(AddressClass::Unspecified));
}

}  // namespace
}  // namespace epos
