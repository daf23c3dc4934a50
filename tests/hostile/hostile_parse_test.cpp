// Hostile catalogue, part 7 (in-process, GoogleTest): malformed certificates and hostile ePOS
// replies, the bytes an untrusted server on the LAN controls. Each case must end in a clear
// Failure{"bad_certificate"} (or a "not ePOS" answer) with a sentence, never a crash, and a
// well-formed certificate must still be read exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cert/certificate.hpp"
#include "cert/findings.hpp"
#include "cert_factory.hpp"
#include "net/epos_probe.hpp"
#include "util/failure.hpp"

namespace epos {
namespace {

using Bytes = std::vector<unsigned char>;

const testing::GeneratedCert& good() {
    static const auto cert = testing::make_certificate(testing::shape("good", "127.0.0.25"));
    return cert;
}

// Parsing `bytes` must fail with bad_certificate and say something.
void expect_refused(const Bytes& bytes) {
    try {
        (void)cert::Certificate::parse(bytes);
        FAIL() << "accepted " << bytes.size() << " bytes";
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "bad_certificate");
        EXPECT_GT(std::string(failure.what()).size(), 10u);
    }
}

void expect_refused(const std::string& text) {
    expect_refused(Bytes(text.begin(), text.end()));
}

Bytes der() {
    return good().der;
}

TEST(HostileCertificate, EmptyInput) {
    expect_refused(Bytes{});
}

TEST(HostileCertificate, OneByte) {
    expect_refused(Bytes{0x30});
}

TEST(HostileCertificate, TruncatedByOneByte) {
    const auto bytes = der();
    ASSERT_FALSE(bytes.empty());
    // A copy without the last byte (pop_back() here trips GCC 12's -Warray-bounds at -O2).
    expect_refused(Bytes(bytes.begin(), bytes.end() - 1));
}

TEST(HostileCertificate, TruncatedToHalf) {
    auto bytes = der();
    bytes.resize(bytes.size() / 2);
    expect_refused(bytes);
}

TEST(HostileCertificate, TrailingGarbageAfterTheCertificate) {
    auto bytes = der();
    bytes.push_back(0x00);
    expect_refused(bytes);
}

TEST(HostileCertificate, TwoDerCertificatesBackToBack) {
    auto bytes = der();
    const auto second = der();
    bytes.insert(bytes.end(), second.begin(), second.end());
    expect_refused(bytes);
}

TEST(HostileCertificate, OuterLengthClaimsTwoGigabytes) {
    Bytes bytes = {0x30, 0x84, 0x7f, 0xff, 0xff, 0xff};
    const auto body = der();
    bytes.insert(bytes.end(), body.begin() + 4, body.end());
    expect_refused(bytes);
}

TEST(HostileCertificate, IndefiniteLengthBer) {
    auto bytes = der();
    // 30 82 LL LL -> 30 80 ... 00 00: BER, not DER.
    Bytes ber = {0x30, 0x80};
    ber.insert(ber.end(), bytes.begin() + 4, bytes.end());
    ber.push_back(0);
    ber.push_back(0);
    expect_refused(ber);
}

TEST(HostileCertificate, WrongOuterTag) {
    auto bytes = der();
    bytes[0] = 0x31;  // SET instead of SEQUENCE
    expect_refused(bytes);
}

TEST(HostileCertificate, CorruptedInnerLength) {
    auto bytes = der();
    bytes[5] ^= 0x7f;  // the length of tbsCertificate
    expect_refused(bytes);
}

TEST(HostileCertificate, AnX509VersionThatDoesNotExist) {
    auto bytes = der();
    // [0] EXPLICIT INTEGER 2 (v3) -> INTEGER 5 ("v6"): OpenSSL reads it, browsers refuse it.
    const Bytes v3 = {0xa0, 0x03, 0x02, 0x01, 0x02};
    const auto at = std::search(bytes.begin(), bytes.end(), v3.begin(), v3.end());
    ASSERT_NE(at, bytes.end());
    *(at + 4) = 0x05;
    expect_refused(bytes);
}

TEST(HostileCertificate, RandomBytes) {
    Bytes bytes(4096);
    unsigned state = 12345;
    for (auto& b : bytes) {
        state = state * 1103515245u + 12345u;
        b = static_cast<unsigned char>(state >> 16);
    }
    expect_refused(bytes);
}

TEST(HostileCertificate, DerOverTheSizeLimit) {
    auto bytes = der();
    bytes.resize(cert::Certificate::kMaxInput + 1, 0);
    expect_refused(bytes);
}

TEST(HostileCertificate, PemWithoutEndLine) {
    auto pem = good().cert_pem;
    pem = pem.substr(0, pem.find("-----END"));
    expect_refused(pem);
}

TEST(HostileCertificate, PemWithInvalidBase64) {
    auto pem = good().cert_pem;
    pem[pem.find('\n') + 10] = '!';
    expect_refused(pem);
}

TEST(HostileCertificate, PemWhoseBase64IsNotACertificate) {
    expect_refused(
        std::string("-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n"));
}

TEST(HostileCertificate, PemWithOnlyTheMarkers) {
    expect_refused(std::string("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"));
}

TEST(HostileCertificate, PrivateKeyPemInsteadOfACertificate) {
    expect_refused(good().key_pem);
}

TEST(HostileCertificate, PemOverTheSizeLimit) {
    std::string pem = good().cert_pem;
    pem += std::string(cert::Certificate::kMaxInput, '\n');
    expect_refused(pem);
}

TEST(HostileCertificate, PemWithNulBytesInside) {
    auto pem = good().cert_pem;
    pem[pem.find('\n') + 5] = '\0';
    expect_refused(pem);
}

TEST(HostileCertificate, BrokenSignatureIsReadButNotSelfSigned) {
    auto bytes = der();
    bytes[bytes.size() - 3] ^= 0xff;  // inside the signature value
    const auto cert = cert::Certificate::parse(bytes);
    EXPECT_FALSE(cert.self_signed());
    cert::Context context;
    context.host = "127.0.0.25";
    EXPECT_TRUE(cert::judge(cert, context).has("not_self_signed"));
}

TEST(HostileCertificate, OnlyTheFirstOfTwoPemCertificatesIsRead) {
    const auto other = testing::make_certificate(testing::shape("ecdsa", "127.0.0.26"));
    const std::string both = good().cert_pem + other.cert_pem;
    const auto cert = cert::Certificate::parse(Bytes(both.begin(), both.end()));
    EXPECT_EQ(cert.sha256(), good().sha256);
}

TEST(HostileCertificate, PemWithCrLfAndLeadingBlankLinesIsRead) {
    std::string pem = "\r\n\r\n  ";
    for (char c : good().cert_pem) {
        if (c == '\n') {
            pem += '\r';
        }
        pem += c;
    }
    EXPECT_EQ(cert::Certificate::parse(Bytes(pem.begin(), pem.end())).sha256(), good().sha256);
}

TEST(HostileCertificate, V1IsReadAndNeverSafeAsAnAnchor) {
    const auto v1 = testing::make_certificate(testing::shape("v1", "127.0.0.25"));
    const auto cert = cert::Certificate::parse(v1.der);
    EXPECT_EQ(cert.version(), 1);
    EXPECT_TRUE(cert::unsafe_as_anchor(cert));
}

TEST(HostileEposReply, A60KiBAttributeDoesNotOverflowTheStack) {
    const std::string body =
        "<response success=\"" + std::string(60000, 'a') +
        "\" code=\"\" xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>";
    const auto answer = net::parse_epos_response(body);
    EXPECT_TRUE(answer.is_epos);
    EXPECT_FALSE(answer.success);
}

TEST(HostileEposReply, A60KiBStartTagDoesNotOverflowTheStack) {
    const std::string body = "<response " + std::string(60000, ' ') + "/> epson-pos.com/schemas";
    EXPECT_TRUE(net::parse_epos_response(body).is_epos);
}

TEST(HostileEposReply, ABodyOverTheLimitIsNotRead) {
    const std::string body =
        "<response success=\"true\" "
        "xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>" +
        std::string(64 * 1024, ' ');
    const auto answer = net::parse_epos_response(body);
    EXPECT_FALSE(answer.is_epos);
    EXPECT_FALSE(answer.error.empty());
}

TEST(HostileEposReply, TenThousandUnclosedTagsAreNotEpos) {
    std::string body;
    for (int i = 0; i < 10000; ++i) {
        body += "<response";
    }
    const auto answer = net::parse_epos_response(body);
    EXPECT_FALSE(answer.is_epos);
    EXPECT_FALSE(answer.error.empty());
}

TEST(HostileEposReply, AnUnterminatedAttributeGivesNoValue) {
    const auto answer = net::parse_epos_response(
        "<response code=\"EPTR_COVER_OPEN status=\"1\"/> epson-pos.com/schemas");
    EXPECT_TRUE(answer.is_epos);
    EXPECT_FALSE(answer.success);
}

TEST(HostileEposReply, ALookAlikeElementNameIsNotAResponse) {
    const auto answer = net::parse_epos_response(
        "<responses success=\"true\"/><xresponse success=\"true\"/> epson-pos.com/schemas");
    EXPECT_FALSE(answer.is_epos);
}

}  // namespace
}  // namespace epos
