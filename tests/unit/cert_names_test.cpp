// The scope of a certificate's names: what a printer trust may cover (cert/names.hpp).
#include "cert/names.hpp"
#include "wire/cert_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cert/findings.hpp"
#include "cert_factory.hpp"

namespace epos::cert {
namespace {

using testing::CertSpec;
using testing::make_certificate;
using testing::shape;

constexpr NameScope L = NameScope::Local;
constexpr NameScope P = NameScope::Public;

Certificate parse(const testing::GeneratedCert& g) {
    return Certificate::from_der(g.der);
}

TEST(NameScope, LocalSuffixesAndSingleLabels) {
    for (const char* name :
         {"printer.local", "epson-tm-m30.local", "printer.home.arpa", "home.arpa", "pos.internal",
          "printer.shop.lan", "lan", "localhost", "printer.localhost", "printer", "EPSON_TM",
          "xn--bcher-kva.local", "a.b.c.d.local"}) {
        EXPECT_EQ(dns_name_scope(name), L) << name;
    }
}

TEST(NameScope, PublicNames) {
    for (const char* name :
         {"www.example-bank.com", "accounts.google.com", "odoo.com", "printer.example",
          "printer.local.evil.com", "local.com", "lan.example.org", "localhost.example.com",
          "printer.arpa", "xn--bcher-kva.example", "printer.xn--lcal-xqa", "home.arpa.evil.net"}) {
        EXPECT_EQ(dns_name_scope(name), P) << name;
    }
}

TEST(NameScope, HostileSpellings) {
    // Case and one root dot are the same name.
    EXPECT_EQ(dns_name_scope("PRINTER.LOCAL"), L);
    EXPECT_EQ(dns_name_scope("printer.local."), L);
    EXPECT_EQ(dns_name_scope("WWW.Example-Bank.COM."), P);
    // A second dot, an empty label, a leading dot: malformed, so not given the benefit.
    EXPECT_EQ(dns_name_scope("printer.local.."), P);
    EXPECT_EQ(dns_name_scope("..local"), P);
    EXPECT_EQ(dns_name_scope(".local"), P);
    EXPECT_EQ(dns_name_scope(""), P);
    EXPECT_EQ(dns_name_scope("."), P);
    // Every wildcard, even under a local suffix: the contract keeps wildcards out of every trust.
    EXPECT_EQ(dns_name_scope("*.local"), P);
    EXPECT_EQ(dns_name_scope("*.shop.lan"), P);
    EXPECT_EQ(dns_name_scope("*"), P);
    EXPECT_EQ(dns_name_scope("*.odoo.com"), P);
    EXPECT_EQ(dns_name_scope("pr*nter.local"), P);
    // Raw non-ASCII (an IDN not in punycode), escapes, spaces, a NUL in the middle.
    EXPECT_EQ(dns_name_scope("b\xc3\xbc"
                             "cher.local"),
              P);
    EXPECT_EQ(dns_name_scope("printer\\x00.local"), P);
    EXPECT_EQ(dns_name_scope("printer .local"), P);
    EXPECT_EQ(dns_name_scope(std::string_view("www.bank.com\0.local", 19)), P);
    EXPECT_EQ(dns_name_scope("printer.local/"), P);
    // An over-long label.
    EXPECT_EQ(dns_name_scope(std::string(64, 'a') + ".local"), P);
    EXPECT_EQ(dns_name_scope(std::string(63, 'a') + ".local"), L);
}

TEST(NameScope, IpLikeDnsNamesTakeTheScopeOfTheirAddress) {
    EXPECT_EQ(dns_name_scope("192.168.1.25"), L);
    EXPECT_EQ(dns_name_scope("127.0.0.25"), L);
    EXPECT_EQ(dns_name_scope("8.8.8.8"), P);
    EXPECT_EQ(dns_name_scope("8.8.8.8."), P);
    EXPECT_EQ(dns_name_scope("fd00::25"), L);
    EXPECT_EQ(dns_name_scope("2001:db8::1"), P);
    EXPECT_EQ(dns_name_scope("::ffff:8.8.8.8"), P);
    // Numeric spellings a URL parser turns into some address: never local.
    EXPECT_EQ(dns_name_scope("3232235777"), P);  // 192.168.1.1 as one number
    EXPECT_EQ(dns_name_scope("134744072"), P);   // 8.8.8.8
    EXPECT_EQ(dns_name_scope("0x7f.1"), P);
    EXPECT_EQ(dns_name_scope("192.168.1.025"), P);
    EXPECT_EQ(dns_name_scope("printer.0x10"), P);
    EXPECT_EQ(dns_name_scope("[fd00::25]"), P);
}

TEST(IpScope, LocalClassesOnly) {
    EXPECT_EQ(ip_scope({127, 0, 0, 25}), L);
    EXPECT_EQ(ip_scope({10, 1, 2, 3}), L);
    EXPECT_EQ(ip_scope({169, 254, 1, 1}), L);
    EXPECT_EQ(ip_scope({100, 64, 0, 1}), L);
    EXPECT_EQ(ip_scope({8, 8, 8, 8}), P);
    EXPECT_EQ(ip_scope({0, 0, 0, 0}), P);
    EXPECT_EQ(ip_scope({255, 255, 255, 255}), P);
    EXPECT_EQ(ip_scope({1, 2, 3}), P);  // malformed entry
    EXPECT_EQ(ip_scope({0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x25}), L);
    EXPECT_EQ(ip_scope({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), L);
    EXPECT_EQ(ip_scope({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), P);
    EXPECT_EQ(ip_scope({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 8, 8}), P);
}

TEST(CertificateNames, EverySanNameWithItsScope) {
    CertSpec spec = shape("too-broad", "127.0.0.25");
    spec.san_ips.push_back("8.8.8.8");
    spec.san_ips.push_back("fd00::25");
    const auto names = certificate_names(parse(make_certificate(spec)));
    const auto json = wire::to_json(names);
    EXPECT_EQ(json, nlohmann::json::parse(R"([
        {"type":"dns","value":"www.example-bank.com","scope":"public"},
        {"type":"dns","value":"*.odoo.com","scope":"public"},
        {"type":"dns","value":"accounts.google.com","scope":"public"},
        {"type":"ip","value":"127.0.0.25","scope":"local"},
        {"type":"ip","value":"8.8.8.8","scope":"public"},
        {"type":"ip","value":"fd00::25","scope":"local"}])"));
    EXPECT_EQ(public_names(parse(make_certificate(spec))).size(), 4u);
}

TEST(CertificateNames, CommonNameOnlyWithoutSan) {
    const auto epson =
        certificate_names(parse(make_certificate(shape("epson-like", "192.168.1.25"))));
    ASSERT_EQ(epson.size(), 1u);
    EXPECT_EQ(epson[0].type, CertificateName::Type::Ip);
    EXPECT_EQ(epson[0].value, "192.168.1.25");
    EXPECT_EQ(epson[0].scope, L);

    CertSpec rogue = shape("no-san", "127.0.0.25");
    rogue.common_name = "www.example-bank.com";
    const auto names = certificate_names(parse(make_certificate(rogue)));
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].type, CertificateName::Type::Dns);
    EXPECT_EQ(names[0].scope, P);

    // With a SAN, the CN is not a name of its own (browsers ignore it then).
    CertSpec with_san = shape("good", "127.0.0.25");
    with_san.common_name = "www.example-bank.com";
    EXPECT_TRUE(public_names(parse(make_certificate(with_san))).empty());
}

TEST(NamesBeyondPrinter, OnePublicNameMakesEveryFamilyDangerous) {
    for (const char* extra : {"www.example-bank.com", "*.local", "8.8.8.8"}) {
        SCOPED_TRACE(extra);
        CertSpec spec = shape("good", "127.0.0.25");
        if (std::string(extra) == "8.8.8.8") {
            spec.san_ips.push_back(extra);
        } else {
            spec.san_dns.push_back(extra);
        }
        Context context;
        context.host = "127.0.0.25";
        context.tls_version = 0x0304;
        const Judgement j = judge(parse(make_certificate(spec)), context);
        ASSERT_TRUE(j.has("names_beyond_printer"));
        const auto& f = *std::find_if(j.findings.begin(), j.findings.end(), [](const Finding& x) {
            return x.code == "names_beyond_printer";
        });
        EXPECT_EQ(f.severity, Severity::Error);
        EXPECT_EQ(f.browsers,
                  (std::vector<Browser>{Browser::Chrome, Browser::Firefox, Browser::Apple}));
        EXPECT_NE(f.message.find(extra), std::string::npos) << f.message;
        EXPECT_EQ(j.verdict.chrome, Usability::Dangerous);
        EXPECT_EQ(j.verdict.firefox, Usability::Dangerous);
        EXPECT_EQ(j.verdict.apple, Usability::Dangerous);
    }
}

TEST(NamesBeyondPrinter, LocalNamesBesideThePrinterAreFine) {
    CertSpec spec = shape("good", "192.168.1.25");
    spec.san_dns = {"epson-tm.local", "printer", "printer.shop.lan"};
    Context context;
    context.host = "192.168.1.25";
    context.tls_version = 0x0304;
    const Judgement j = judge(parse(make_certificate(spec)), context);
    EXPECT_FALSE(j.has("names_beyond_printer"));
    EXPECT_EQ(j.verdict.chrome, Usability::Usable);
}

}  // namespace
}  // namespace epos::cert
