// Certificate parsing over certificates made at test time in every printer shape, and over
// hostile bytes: whatever a server sends, the result is a Certificate or a bad_certificate
// Failure, never a crash or another exception.

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cert/certificate.hpp"
#include "cert_factory.hpp"
#include "util/failure.hpp"
#include "wire/cert_json.hpp"

namespace {

using epos::Failure;
using epos::cert::BasicConstraints;
using epos::cert::Certificate;
using epos::testing::CertSpec;
using epos::testing::GeneratedCert;
using epos::testing::make_certificate;
using epos::testing::shape;
using epos::testing::shape_names;

Certificate parse(const GeneratedCert& g) {
    return Certificate::from_der(g.der);
}

Certificate make(std::string_view name, std::string_view address = "127.0.0.25") {
    return parse(make_certificate(shape(name, address)));
}

// Expects `bytes` to be refused as bad_certificate, with a message a person can read.
void expect_bad(std::span<const unsigned char> bytes) {
    try {
        (void)Certificate::parse(bytes);
        ADD_FAILURE() << "parsed " << bytes.size() << " hostile bytes";
    } catch (const Failure& f) {
        EXPECT_EQ(f.code(), "bad_certificate");
        EXPECT_NE(std::string(f.what()).find("certificate"), std::string::npos);
    }
}

std::vector<unsigned char> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

TEST(Certificate, GoodShapeFields) {
    GeneratedCert g = make_certificate(shape("good", "127.0.0.25"));
    Certificate c = parse(g);
    EXPECT_EQ(c.sha256(), g.sha256);
    EXPECT_EQ(c.sha1(), g.sha1);
    EXPECT_EQ(c.der(), g.der);
    EXPECT_EQ(c.pem(), g.cert_pem);
    EXPECT_EQ(c.subject(), "CN=127.0.0.25");
    EXPECT_EQ(c.issuer(), "CN=127.0.0.25");
    EXPECT_EQ(c.common_name(), "127.0.0.25");
    EXPECT_EQ(c.version(), 3);
    EXPECT_EQ(c.basic_constraints(), BasicConstraints::CaFalse);
    EXPECT_EQ(c.basic_constraints_text(), "critical,CA:FALSE");
    EXPECT_FALSE(c.is_ca());
    EXPECT_EQ(c.key_usage(), (std::vector<std::string>{"digitalSignature", "keyEncipherment"}));
    EXPECT_EQ(c.extended_key_usage(), std::vector<std::string>{"serverAuth"});
    EXPECT_EQ(c.key().type, "RSA");
    EXPECT_EQ(c.key().bits, 2048);
    EXPECT_EQ(c.signature_algorithm(), "sha256WithRSAEncryption");
    EXPECT_EQ(c.signature_digest(), "sha256");
    EXPECT_TRUE(c.self_signed());
    EXPECT_TRUE(c.has_san());
    EXPECT_EQ(c.san_ips(), std::vector<std::string>{"127.0.0.25"});
    EXPECT_TRUE(c.san_dns().empty());
    EXPECT_EQ(c.validity_days(), 366);
    EXPECT_FALSE(c.serial().empty());
    EXPECT_EQ(c.serial().find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Certificate, DatesAreIsoUtcAndMatchTheSpec) {
    CertSpec spec = shape("good", "127.0.0.25");
    spec.not_before_days = 0;
    spec.not_after_days = 10;
    const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    Certificate c = parse(make_certificate(spec));
    const auto after = std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now());
    EXPECT_GE(c.not_before(), before);
    EXPECT_LE(c.not_before(), after);
    EXPECT_EQ(c.not_after() - c.not_before(), std::chrono::days{10});
    EXPECT_EQ(c.validity_days(), 10);
    const std::string iso = c.not_before_iso();
    ASSERT_EQ(iso.size(), 20u);
    EXPECT_EQ(iso[4], '-');
    EXPECT_EQ(iso[10], 'T');
    EXPECT_EQ(iso.back(), 'Z');
    EXPECT_EQ(epos::cert::to_iso8601(std::chrono::sys_seconds{std::chrono::seconds{0}}),
              "1970-01-01T00:00:00Z");
    EXPECT_EQ(epos::cert::to_iso8601(
                  std::chrono::sys_days{std::chrono::year{2049} / std::chrono::December / 31} +
                  std::chrono::hours{23} + std::chrono::minutes{59} + std::chrono::seconds{58}),
              "2049-12-31T23:59:58Z");
}

TEST(Certificate, FixedSerialIsHex) {
    CertSpec spec = shape("good", "127.0.0.25");
    spec.serial = 0x1234abcd;
    EXPECT_EQ(parse(make_certificate(spec)).serial(), "1234abcd");
}

TEST(Certificate, GroupedFingerprintIsUppercasePairs) {
    Certificate c = make("good");
    const std::string g = c.sha256_grouped();
    ASSERT_EQ(g.size(), 95u);
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (i % 3 == 2) {
            EXPECT_EQ(g[i], ':');
        } else {
            EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(g[i])) &&
                        !std::islower(static_cast<unsigned char>(g[i])));
        }
    }
    std::string ungrouped;
    std::copy_if(g.begin(), g.end(), std::back_inserter(ungrouped),
                 [](char ch) { return ch != ':'; });
    std::transform(ungrouped.begin(), ungrouped.end(), ungrouped.begin(),
                   [](char ch) { return static_cast<char>(std::tolower(ch)); });
    EXPECT_EQ(ungrouped, c.sha256());
}

TEST(Certificate, PemAndDerGiveTheSameCertificate) {
    GeneratedCert g = make_certificate(shape("ecdsa", "127.0.0.25"));
    Certificate from_pem = Certificate::from_pem(g.cert_pem);
    EXPECT_EQ(from_pem.sha256(), g.sha256);
    EXPECT_EQ(from_pem.der(), g.der);
    // parse() tells them apart, leading whitespace and all.
    EXPECT_EQ(Certificate::parse(bytes_of("\n  " + g.cert_pem)).sha256(), g.sha256);
    EXPECT_EQ(Certificate::parse(g.der).sha256(), g.sha256);
    // Text around the block (as in `openssl x509 -text` output) is fine.
    EXPECT_EQ(Certificate::from_pem("Certificate:\n  blah\n" + g.cert_pem + "trailer\n").sha256(),
              g.sha256);
}

// PEM armour around any bytes, as a file or a person could present them.
std::string pem_of(const std::vector<unsigned char>& bytes) {
    std::string b64(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    b64.resize(static_cast<std::size_t>(n));
    std::string out = "-----BEGIN CERTIFICATE-----\n";
    for (std::size_t i = 0; i < b64.size(); i += 64) {
        out += b64.substr(i, 64) + "\n";
    }
    return out + "-----END CERTIFICATE-----\n";
}

TEST(Certificate, PemRefusesWhatDerRefuses) {
    GeneratedCert g = make_certificate(shape("ecdsa", "127.0.0.25"));
    EXPECT_EQ(Certificate::from_pem(pem_of(g.der)).sha256(), g.sha256);
    // BER with an indefinite length (30 80 ... 00 00): OpenSSL reads it, TLS does not, and its
    // fingerprint would be of OpenSSL's re-encoding.
    ASSERT_EQ(g.der[1], 0x82);
    std::vector<unsigned char> ber = {0x30, 0x80};
    ber.insert(ber.end(), g.der.begin() + 4, g.der.end());
    ber.push_back(0);
    ber.push_back(0);
    EXPECT_THROW((void)Certificate::from_der(ber), Failure);
    EXPECT_THROW((void)Certificate::from_pem(pem_of(ber)), Failure);
    // Bytes after the certificate inside the block.
    auto longer = g.der;
    longer.push_back(0);
    EXPECT_THROW((void)Certificate::from_der(longer), Failure);
    EXPECT_THROW((void)Certificate::from_pem(pem_of(longer)), Failure);
    // Another kind of PEM block where the certificate's should be.
    std::string key = pem_of(g.der);
    key.replace(key.find("BEGIN CERTIFICATE"), 17, "BEGIN PRIVATE KEY");
    EXPECT_THROW((void)Certificate::from_pem(key), Failure);
}

TEST(Certificate, EveryShapeParses) {
    for (const auto& name : shape_names()) {
        for (const char* address : {"127.0.0.25", "fd00::25", "printer.lan"}) {
            SCOPED_TRACE(name + " @ " + address);
            GeneratedCert g = make_certificate(shape(name, address));
            Certificate c = parse(g);
            EXPECT_EQ(c.sha256(), g.sha256);
            EXPECT_EQ(c.common_name(), address);
            EXPECT_TRUE(c.self_signed());
            EXPECT_NO_THROW((void)epos::wire::to_json(c).dump());
        }
    }
}

TEST(Certificate, ShapeSpecificFields) {
    EXPECT_FALSE(make("no-san").has_san());
    EXPECT_EQ(make("wrong-san").san_ips(), std::vector<std::string>{"127.0.0.99"});

    Certificate ca = make("ca-true");
    EXPECT_TRUE(ca.is_ca());
    EXPECT_EQ(ca.basic_constraints_text(), "critical,CA:TRUE");
    EXPECT_NE(std::find(ca.key_usage().begin(), ca.key_usage().end(), "keyCertSign"),
              ca.key_usage().end());

    Certificate none = make("no-basic-constraints");
    EXPECT_EQ(none.basic_constraints(), BasicConstraints::Absent);
    EXPECT_EQ(none.basic_constraints_text(), "absent");

    CertSpec noncritical = shape("good", "127.0.0.25");
    noncritical.basic_constraints_critical = false;
    EXPECT_EQ(parse(make_certificate(noncritical)).basic_constraints_text(), "CA:FALSE");

    Certificate v1 = make("v1");
    EXPECT_EQ(v1.version(), 1);
    EXPECT_FALSE(v1.has_san());
    EXPECT_FALSE(v1.has_key_usage());
    EXPECT_FALSE(v1.has_extended_key_usage());
    EXPECT_EQ(v1.basic_constraints(), BasicConstraints::Absent);

    Certificate sha1 = make("sha1");
    EXPECT_EQ(sha1.signature_algorithm(), "sha1WithRSAEncryption");
    EXPECT_EQ(sha1.signature_digest(), "sha1");

    EXPECT_EQ(make("rsa1024").key().bits, 1024);
    EXPECT_LT(make("expired").not_after(), std::chrono::system_clock::now());
    EXPECT_GT(make("not-yet-valid").not_before(), std::chrono::system_clock::now());
    EXPECT_GE(make("long-validity").validity_days(), 3650);

    Certificate ec = make("ecdsa");
    EXPECT_EQ(ec.key().type, "EC");
    EXPECT_EQ(ec.key().curve, "P-256");
    EXPECT_EQ(ec.key().bits, 256);
    EXPECT_EQ(ec.signature_algorithm(), "ecdsa-with-SHA256");
    EXPECT_EQ(ec.key_usage(), std::vector<std::string>{"digitalSignature"});

    CertSpec p384 = shape("good", "127.0.0.25");
    p384.key = CertSpec::Key::EcP384;
    p384.digest = "sha384";
    Certificate ec384 = parse(make_certificate(p384));
    EXPECT_EQ(ec384.key().curve, "P-384");
    EXPECT_EQ(ec384.signature_digest(), "sha384");

    Certificate ed = make("ed25519");
    EXPECT_EQ(ed.key().type, "Ed25519");
    EXPECT_EQ(ed.signature_algorithm(), "ED25519");
    EXPECT_EQ(ed.signature_digest(), "");

    Certificate dns = make("dns-san");
    EXPECT_TRUE(dns.san_ips().empty());
    EXPECT_EQ(dns.san_dns(), std::vector<std::string>{"localhost"});

    EXPECT_FALSE(make("no-eku").has_extended_key_usage());

    Certificate epson = make("epson-like");
    EXPECT_FALSE(epson.has_san());
    EXPECT_FALSE(epson.has_extended_key_usage());
    EXPECT_GE(epson.validity_days(), 3650);
}

TEST(Certificate, OtherEkusAreNamedOrDotted) {
    CertSpec spec = shape("good", "127.0.0.25");
    spec.extended_key_usage = "clientAuth,1.3.6.1.4.1.99999.1";
    Certificate c = parse(make_certificate(spec));
    EXPECT_EQ(c.extended_key_usage(),
              (std::vector<std::string>{"clientAuth", "1.3.6.1.4.1.99999.1"}));
}

TEST(Certificate, Ipv6SanIsNormalised) {
    CertSpec spec = shape("good", "127.0.0.25");
    spec.san_ips = {"FD00:0000:0000:0000:0000:0000:0000:0025",
                    "::1",
                    "fe80::",
                    "::ffff:10.1.2.3",
                    "2001:db8:0:0:1:0:0:1",
                    "2001:db8::1:0:0:0:1"};
    Certificate c = parse(make_certificate(spec));
    EXPECT_EQ(c.san_ips(), (std::vector<std::string>{"fd00::25", "::1", "fe80::", "::ffff:10.1.2.3",
                                                     "2001:db8::1:0:0:1", "2001:db8:0:1::1"}));
    ASSERT_EQ(c.san_ip_bytes().size(), 6u);
    EXPECT_EQ(c.san_ip_bytes()[0].size(), 16u);
}

TEST(Certificate, IpHelpers) {
    using epos::cert::ip_to_text;
    using epos::cert::parse_ip;
    EXPECT_EQ(parse_ip("10.0.0.1"), (std::vector<unsigned char>{10, 0, 0, 1}));
    EXPECT_EQ(parse_ip("[::1]").size(), 16u);
    EXPECT_EQ(parse_ip("fe80::1%eth0").size(), 16u);
    EXPECT_TRUE(parse_ip("printer.lan").empty());
    EXPECT_TRUE(parse_ip("").empty());
    EXPECT_TRUE(parse_ip("[]").empty());
    EXPECT_TRUE(parse_ip("1.2.3.4.5").empty());
    EXPECT_TRUE(parse_ip("::1::2").empty());
    EXPECT_EQ(ip_to_text(parse_ip("1:0:0:2:0:0:0:3")), "1:0:0:2::3");
    EXPECT_EQ(ip_to_text(parse_ip("1:0:2:0:3:0:4:0")), "1:0:2:0:3:0:4:0");
    EXPECT_EQ(ip_to_text(parse_ip("::")), "::");
    const std::vector<unsigned char> odd = {1, 2, 3};
    EXPECT_EQ(ip_to_text(odd), "invalid:010203");
}

TEST(Certificate, IssuedCertificateIsNotSelfSigned) {
    CertSpec ca_spec = shape("ca-true", "127.0.0.1");
    ca_spec.common_name = "Shop Root CA";
    ca_spec.fresh_key = true;
    GeneratedCert ca = make_certificate(ca_spec);
    Certificate leaf = parse(make_certificate(shape("good", "127.0.0.25"), &ca));
    EXPECT_FALSE(leaf.self_signed());
    EXPECT_EQ(leaf.issuer(), "CN=Shop Root CA");
    EXPECT_EQ(leaf.subject(), "CN=127.0.0.25");

    // Same name as its issuer but signed by another key: still not self-signed.
    CertSpec impostor_ca = shape("ca-true", "127.0.0.25");
    impostor_ca.fresh_key = true;
    GeneratedCert other = make_certificate(impostor_ca);
    Certificate same_name = parse(make_certificate(shape("good", "127.0.0.25"), &other));
    EXPECT_EQ(same_name.subject(), same_name.issuer());
    EXPECT_FALSE(same_name.self_signed());
}

TEST(Certificate, NamesWithUtf8AndSeveralAttributes) {
    CertSpec spec = shape("good", "127.0.0.25");
    spec.common_name = "Caf\xc3\xa9 printer, \"front\"";
    Certificate c = parse(make_certificate(spec));
    EXPECT_EQ(c.common_name(), "Caf\xc3\xa9 printer, \"front\"");
    // RFC 2253 escapes ',' and '"' but keeps the UTF-8.
    EXPECT_EQ(c.subject(), "CN=Caf\xc3\xa9 printer\\, \\\"front\\\"");
    EXPECT_NO_THROW((void)epos::wire::to_json(c).dump());
}

TEST(Certificate, JsonHasExactlyTheProtocolFields) {
    Certificate c = make("good");
    nlohmann::json j = epos::wire::to_json(c);
    std::set<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) {
        keys.insert(it.key());
    }
    // docs/protocol.md, inspect reply, `certificate`.
    const std::set<std::string> expected = {
        "sha256",    "sha256_grouped",      "sha1",        "subject",
        "issuer",    "common_name",         "serial",      "not_before",
        "not_after", "validity_days",       "san",         "version",
        "is_ca",     "basic_constraints",   "key_usage",   "extended_key_usage",
        "key",       "signature_algorithm", "self_signed", "pem"};
    EXPECT_EQ(keys, expected);
    EXPECT_EQ(j["sha256"], c.sha256());
    EXPECT_EQ(j["san"]["ip"], nlohmann::json::array({"127.0.0.25"}));
    EXPECT_EQ(j["san"]["dns"], nlohmann::json::array());
    EXPECT_EQ(j["version"], 3);
    EXPECT_EQ(j["is_ca"], false);
    EXPECT_EQ(j["basic_constraints"], "critical,CA:FALSE");
    EXPECT_EQ(j["key"], (nlohmann::json{{"type", "RSA"}, {"bits", 2048}}));
    EXPECT_EQ(j["validity_days"], 366);
    EXPECT_EQ(j["self_signed"], true);
    EXPECT_EQ(epos::wire::to_json(make("ecdsa"))["key"],
              (nlohmann::json{{"type", "EC"}, {"bits", 256}, {"curve", "P-256"}}));
}

TEST(CertificateHostile, EmptyAndTiny) {
    expect_bad({});
    expect_bad(bytes_of("\x30"));
    expect_bad(bytes_of("\x30\x00"));
    expect_bad(bytes_of("hello"));
}

TEST(CertificateHostile, EveryTruncationIsRefused) {
    GeneratedCert g = make_certificate(shape("good", "127.0.0.25"));
    for (std::size_t len = 0; len < g.der.size(); ++len) {
        expect_bad(std::span(g.der.data(), len));
    }
}

TEST(CertificateHostile, TrailingBytesAreRefused) {
    GeneratedCert g = make_certificate(shape("good", "127.0.0.25"));
    std::vector<unsigned char> der = g.der;
    der.push_back(0);
    expect_bad(der);
    std::vector<unsigned char> twice = g.der;
    twice.insert(twice.end(), g.der.begin(), g.der.end());
    expect_bad(twice);
}

TEST(CertificateHostile, OversizeInputIsRefused) {
    std::vector<unsigned char> big(Certificate::kMaxInput + 1, 0x30);
    expect_bad(big);
    std::string pem = "-----BEGIN CERTIFICATE-----\n" + std::string(Certificate::kMaxInput, 'A');
    expect_bad(bytes_of(pem));
}

TEST(CertificateHostile, RandomBytes) {
    std::mt19937 rng(20251125);
    for (int i = 0; i < 2000; ++i) {
        std::vector<unsigned char> bytes(rng() % 2048);
        for (auto& b : bytes) {
            b = static_cast<unsigned char>(rng());
        }
        if (!bytes.empty() && i % 2 == 0) {
            bytes[0] = 0x30;  // look like a SEQUENCE to get past the first check
        }
        expect_bad(bytes);
    }
}

TEST(CertificateHostile, FlippedBytesParseOrFailCleanly) {
    // Every single-byte corruption of a real certificate: OpenSSL accepts some (in signature or
    // key bits); the rest must be bad_certificate. Either way no crash and valid JSON.
    GeneratedCert g = make_certificate(shape("good", "fd00::25"));
    int parsed = 0, refused = 0;
    for (std::size_t i = 0; i < g.der.size(); ++i) {
        for (int mask : {0x01, 0x80, 0xff}) {
            std::vector<unsigned char> der = g.der;
            der[i] = static_cast<unsigned char>(der[i] ^ mask);
            try {
                Certificate c = Certificate::from_der(der);
                EXPECT_NO_THROW((void)epos::wire::to_json(c).dump());
                ++parsed;
            } catch (const Failure& f) {
                EXPECT_EQ(f.code(), "bad_certificate") << f.what();
                ++refused;
            }
        }
    }
    EXPECT_GT(parsed, 0);
    EXPECT_GT(refused, 0);
}

TEST(CertificateHostile, PemWithGarbage) {
    GeneratedCert g = make_certificate(shape("good", "127.0.0.25"));
    expect_bad(
        bytes_of("-----BEGIN CERTIFICATE-----\n!!!!not base64!!!!\n-----END CERTIFICATE-----\n"));
    expect_bad(bytes_of("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    expect_bad(bytes_of("-----BEGIN CERTIFICATE-----\n"));
    expect_bad(bytes_of("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    // A real PEM cut in the middle.
    expect_bad(bytes_of(g.cert_pem.substr(0, g.cert_pem.size() / 2)));
    // A real PEM with one base64 character changed inside the DER length header.
    std::string broken = g.cert_pem;
    broken[28] = broken[28] == 'A' ? 'B' : 'A';
    expect_bad(bytes_of(broken));
    // Only the private key, no certificate.
    expect_bad(bytes_of(g.key_pem));
    // The from_pem door directly, without the BEGIN line.
    EXPECT_THROW((void)Certificate::from_pem("garbage"), Failure);
    EXPECT_THROW((void)Certificate::from_pem(""), Failure);
}

}  // namespace
