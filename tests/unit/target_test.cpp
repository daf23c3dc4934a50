#include "net/target.hpp"

#include <gtest/gtest.h>

#include "util/failure.hpp"

namespace epos::net {
namespace {

std::string error_code(const std::string& url) {
    try {
        parse_target(url);
    } catch (const Failure& failure) {
        return failure.code();
    }
    return "accepted";
}

TEST(Target, ParsesIpv4WithDefaultPort) {
    const Target t = parse_target("https://192.168.1.25");
    EXPECT_EQ(t.host, "192.168.1.25");
    EXPECT_EQ(t.port, 443);
    EXPECT_TRUE(t.host_is_ip);
    EXPECT_EQ(t.origin(), "https://192.168.1.25");
}

TEST(Target, ParsesPortPathAndQuery) {
    const Target t =
        parse_target("HTTPS://192.168.1.25:8443/cgi-bin/epos/service.cgi?devid=local_printer");
    EXPECT_EQ(t.host, "192.168.1.25");
    EXPECT_EQ(t.port, 8443);
    EXPECT_EQ(t.origin(), "https://192.168.1.25:8443");
}

TEST(Target, ParsesIpv6Literal) {
    const Target t = parse_target("https://[FD00::25]:9100/");
    EXPECT_EQ(t.host, "fd00::25");
    EXPECT_EQ(t.port, 9100);
    EXPECT_TRUE(t.host_is_ip);
    EXPECT_EQ(t.origin(), "https://[fd00::25]:9100");
}

TEST(Target, ParsesHostName) {
    const Target t = parse_target("https://Printer-1.Shop.LAN./");
    EXPECT_EQ(t.host, "printer-1.shop.lan");
    EXPECT_FALSE(t.host_is_ip);
}

TEST(Target, RefusesWhatIsNotAPrinterUrl) {
    for (const char* url : {"http://192.168.1.25",
                            "ftp://x",
                            "192.168.1.25",
                            "https://",
                            "https://user:pw@192.168.1.25",
                            "https://epson@192.168.1.25",
                            "https://192.168.1.25:0",
                            "https://192.168.1.25:65536",
                            "https://192.168.1.25:",
                            "https://192.168.1.25:44x",
                            "https://[fd00::25",
                            "https://[fd00::25]x",
                            "https://fd00::25",
                            "https://[fe80::1%25eth0]",
                            "https://192.168.1",
                            "https://3232235801",
                            "https://0xc0a80119",
                            "https://-printer.lan",
                            "https://pr_inter.lan",
                            "https://bücher.example",
                            "https://a b",
                            "https://192.168.1.25\\@x",
                            "https://[::zz]"}) {
        EXPECT_EQ(error_code(url), "bad_url") << url;
    }
}

TEST(Target, AcceptsPunycodeNames) {
    EXPECT_EQ(parse_target("https://xn--bcher-kva.example").host, "xn--bcher-kva.example");
}

TEST(AddressClass, ClassifiesIpv4) {
    EXPECT_EQ(classify_address("127.0.0.25"), AddressClass::Loopback);
    EXPECT_EQ(classify_address("10.1.2.3"), AddressClass::Private);
    EXPECT_EQ(classify_address("172.16.0.1"), AddressClass::Private);
    EXPECT_EQ(classify_address("172.31.255.255"), AddressClass::Private);
    EXPECT_EQ(classify_address("172.32.0.1"), AddressClass::Public);
    EXPECT_EQ(classify_address("192.168.1.25"), AddressClass::Private);
    EXPECT_EQ(classify_address("192.169.1.25"), AddressClass::Public);
    EXPECT_EQ(classify_address("169.254.10.1"), AddressClass::LinkLocal);
    EXPECT_EQ(classify_address("100.64.0.1"), AddressClass::Cgnat);
    EXPECT_EQ(classify_address("100.128.0.1"), AddressClass::Public);
    EXPECT_EQ(classify_address("8.8.8.8"), AddressClass::Public);
    EXPECT_EQ(classify_address("0.0.0.0"), AddressClass::Unspecified);
    EXPECT_EQ(classify_address("224.0.0.1"), AddressClass::Unspecified);
    EXPECT_EQ(classify_address("255.255.255.255"), AddressClass::Unspecified);
}

TEST(AddressClass, ClassifiesIpv6) {
    EXPECT_EQ(classify_address("::1"), AddressClass::Loopback);
    EXPECT_EQ(classify_address("fd00::25"), AddressClass::Ula);
    EXPECT_EQ(classify_address("fc12::1"), AddressClass::Ula);
    EXPECT_EQ(classify_address("fe80::1"), AddressClass::LinkLocal);
    EXPECT_EQ(classify_address("febf::1"), AddressClass::LinkLocal);
    EXPECT_EQ(classify_address("2001:db8::1"), AddressClass::Public);
    EXPECT_EQ(classify_address("::"), AddressClass::Unspecified);
    EXPECT_EQ(classify_address("ff02::1"), AddressClass::Unspecified);
}

TEST(AddressClass, MappedIpv4IsClassifiedByTheAddressItCarries) {
    EXPECT_EQ(classify_address("::ffff:192.168.1.25"), AddressClass::Private);
    EXPECT_EQ(classify_address("::ffff:8.8.8.8"), AddressClass::Public);
    EXPECT_EQ(classify_address("::ffff:127.0.0.1"), AddressClass::Loopback);
}

TEST(AddressClass, NamesRoundTrip) {
    for (auto cls :
         {AddressClass::Loopback, AddressClass::Private, AddressClass::LinkLocal, AddressClass::Ula,
          AddressClass::Cgnat, AddressClass::Public, AddressClass::Unspecified}) {
        EXPECT_EQ(address_class_from_string(to_string(cls)), cls);
    }
    EXPECT_THROW(address_class_from_string("lan"), Failure);
}

TEST(Resolve, NumericHostsNeedNoDns) {
    const auto endpoints = resolve(parse_target("https://127.0.0.25"));
    ASSERT_EQ(endpoints.size(), 1u);
    EXPECT_EQ(endpoints[0].address, "127.0.0.25");
    EXPECT_EQ(endpoints[0].address_class, AddressClass::Loopback);
    const auto v6 = resolve(parse_target("https://[::1]"));
    ASSERT_EQ(v6.size(), 1u);
    EXPECT_TRUE(v6[0].ipv6);
}

TEST(Resolve, LocalhostResolvesToLoopbackOnly) {
    for (const auto& endpoint : resolve(parse_target("https://localhost"))) {
        EXPECT_EQ(endpoint.address_class, AddressClass::Loopback) << endpoint.address;
    }
}

}  // namespace
}  // namespace epos::net
