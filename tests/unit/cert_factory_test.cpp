// The test certificate factory must make exactly the shapes it claims, or every test built on it
// proves nothing. Each shape is re-parsed here with OpenSSL directly, independent of epos_cert.

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cert_factory.hpp"

namespace {

using epos::testing::CertSpec;
using epos::testing::GeneratedCert;
using epos::testing::make_certificate;
using epos::testing::shape;
using epos::testing::shape_names;

struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr parse_der(const GeneratedCert& g) {
    const unsigned char* p = g.der.data();
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(g.der.size())));
    EXPECT_TRUE(x) << "DER does not parse";
    return x;
}

X509Ptr parse_pem(const std::string& pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

struct Sans {
    std::vector<std::vector<unsigned char>> ips;  // raw bytes
    std::vector<std::string> dns;
    bool present = false;
};

Sans sans_of(X509* x) {
    Sans out;
    auto* names =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
    if (names == nullptr) {
        return out;
    }
    out.present = true;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
        if (n->type == GEN_IPADD) {
            const unsigned char* d = ASN1_STRING_get0_data(n->d.iPAddress);
            out.ips.emplace_back(d, d + ASN1_STRING_length(n->d.iPAddress));
        } else if (n->type == GEN_DNS) {
            out.dns.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                                 static_cast<size_t>(ASN1_STRING_length(n->d.dNSName)));
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

std::string common_name(X509* x) {
    char buf[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, sizeof buf);
    return buf;
}

// Validity length in whole days, and where notBefore lies relative to now (in days).
int validity_days(X509* x) {
    int days = 0, secs = 0;
    ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x), X509_get0_notAfter(x));
    return days;
}
int days_from_now(const ASN1_TIME* t) {
    int days = 0, secs = 0;
    ASN1_TIME_diff(&days, &secs, nullptr, t);
    return days;
}

bool self_signature_verifies(X509* x) {
    return X509_verify(x, X509_get0_pubkey(x)) == 1;
}

GeneratedCert make(std::string_view name, std::string_view address = "127.0.0.25") {
    return make_certificate(shape(name, address));
}

TEST(CertFactory, EveryShapeMakesAParsableSelfSignedCertificate) {
    ASSERT_EQ(shape_names().size(), 17u);
    for (const auto& name : shape_names()) {
        SCOPED_TRACE(name);
        GeneratedCert g = make(name);
        X509Ptr x = parse_der(g);
        ASSERT_TRUE(x);
        X509Ptr from_pem = parse_pem(g.cert_pem);
        ASSERT_TRUE(from_pem);
        EXPECT_EQ(X509_cmp(x.get(), from_pem.get()), 0);
        EXPECT_EQ(common_name(x.get()), "127.0.0.25");
        EXPECT_TRUE(self_signature_verifies(x.get()));
        EXPECT_EQ(g.sha256.size(), 64u);
        EXPECT_EQ(g.sha1.size(), 40u);
        EXPECT_EQ(g.sha256.find_first_not_of("0123456789abcdef"), std::string::npos);
        EXPECT_NE(g.key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
    }
}

TEST(CertFactory, FingerprintsMatchOpenSsl) {
    GeneratedCert g = make("good");
    X509Ptr x = parse_der(g);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ASSERT_EQ(X509_digest(x.get(), EVP_sha256(), md, &len), 1);
    char hex[3];
    std::string expected;
    for (unsigned int i = 0; i < len; ++i) {
        std::snprintf(hex, sizeof hex, "%02x", md[i]);
        expected += hex;
    }
    EXPECT_EQ(g.sha256, expected);
}

TEST(CertFactory, GoodShape) {
    X509Ptr x = parse_der(make("good"));
    EXPECT_EQ(X509_get_version(x.get()), 2);  // v3
    EXPECT_EQ(X509_get_extension_flags(x.get()) & EXFLAG_CA, 0u);
    EXPECT_NE(X509_get_extension_flags(x.get()) & EXFLAG_BCONS, 0u);
    EXPECT_NE(X509_get_extended_key_usage(x.get()) & XKU_SSL_SERVER, 0u);
    EXPECT_EQ(EVP_PKEY_get_id(X509_get0_pubkey(x.get())), EVP_PKEY_RSA);
    EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(x.get())), 2048);
    EXPECT_EQ(X509_get_signature_nid(x.get()), NID_sha256WithRSAEncryption);
    EXPECT_EQ(validity_days(x.get()), 366);  // -1 .. +365
    Sans s = sans_of(x.get());
    ASSERT_EQ(s.ips.size(), 1u);
    EXPECT_EQ(s.ips[0], (std::vector<unsigned char>{127, 0, 0, 25}));
    EXPECT_TRUE(s.dns.empty());
}

TEST(CertFactory, Ipv6SanIsSixteenBytes) {
    GeneratedCert g = make("good", "[::1]");
    X509Ptr x = parse_der(g);
    EXPECT_EQ(common_name(x.get()), "::1");
    Sans s = sans_of(x.get());
    ASSERT_EQ(s.ips.size(), 1u);
    std::vector<unsigned char> loopback(16, 0);
    loopback[15] = 1;
    EXPECT_EQ(s.ips[0], loopback);
    EXPECT_EQ(X509_check_ip_asc(x.get(), "0:0:0:0:0:0:0:1", 0), 1);
}

TEST(CertFactory, DnsAddressGoesIntoDnsSan) {
    X509Ptr x = parse_der(make("good", "printer.local"));
    Sans s = sans_of(x.get());
    EXPECT_TRUE(s.ips.empty());
    EXPECT_EQ(s.dns, std::vector<std::string>{"printer.local"});
}

TEST(CertFactory, NoSanAndEpsonLikeHaveNoSubjectAltName) {
    EXPECT_FALSE(sans_of(parse_der(make("no-san")).get()).present);
    X509Ptr epson = parse_der(make("epson-like"));
    EXPECT_FALSE(sans_of(epson.get()).present);
    EXPECT_EQ(X509_get_version(epson.get()), 2);
    EXPECT_EQ(X509_get_extension_flags(epson.get()) & EXFLAG_XKUSAGE, 0u);
    EXPECT_GE(validity_days(epson.get()), 3650);
    EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(epson.get())), 2048);
}

TEST(CertFactory, WrongSanNamesAnotherAddress) {
    X509Ptr x = parse_der(make("wrong-san"));
    EXPECT_EQ(X509_check_ip_asc(x.get(), "127.0.0.25", 0), 0);
    Sans s = sans_of(x.get());
    ASSERT_EQ(s.ips.size(), 1u);
    EXPECT_EQ(s.ips[0].size(), 4u);
    X509Ptr v6 = parse_der(make("wrong-san", "fd00::99"));
    EXPECT_EQ(X509_check_ip_asc(v6.get(), "fd00::99", 0), 0);
    EXPECT_EQ(sans_of(v6.get()).ips.at(0).size(), 16u);
}

TEST(CertFactory, BasicConstraintsShapes) {
    X509Ptr ca = parse_der(make("ca-true"));
    EXPECT_NE(X509_get_extension_flags(ca.get()) & EXFLAG_CA, 0u);
    EXPECT_NE(X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN, 0u);
    X509Ptr none = parse_der(make("no-basic-constraints"));
    EXPECT_EQ(X509_get_extension_flags(none.get()) & EXFLAG_BCONS, 0u);
    EXPECT_EQ(X509_get_ext_by_NID(none.get(), NID_basic_constraints, -1), -1);
    X509Ptr good = parse_der(make("good"));
    int idx = X509_get_ext_by_NID(good.get(), NID_basic_constraints, -1);
    ASSERT_GE(idx, 0);
    EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(good.get(), idx)), 1);
}

TEST(CertFactory, V1HasNoExtensions) {
    X509Ptr x = parse_der(make("v1"));
    EXPECT_EQ(X509_get_version(x.get()), 0);
    EXPECT_EQ(X509_get_ext_count(x.get()), 0);
}

TEST(CertFactory, WeakShapes) {
    EXPECT_EQ(X509_get_signature_nid(parse_der(make("sha1")).get()), NID_sha1WithRSAEncryption);
    EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(parse_der(make("rsa1024")).get())), 1024);
    EXPECT_EQ(X509_get_extension_flags(parse_der(make("no-eku")).get()) & EXFLAG_XKUSAGE, 0u);
}

TEST(CertFactory, ValidityShapes) {
    X509Ptr expired = parse_der(make("expired"));
    EXPECT_LT(days_from_now(X509_get0_notAfter(expired.get())), 0);
    X509Ptr future = parse_der(make("not-yet-valid"));
    EXPECT_GT(days_from_now(X509_get0_notBefore(future.get())), 0);
    X509Ptr longv = parse_der(make("long-validity"));
    EXPECT_GT(validity_days(longv.get()), 825);
}

TEST(CertFactory, KeyTypes) {
    X509Ptr ec = parse_der(make("ecdsa"));
    EVP_PKEY* k = X509_get0_pubkey(ec.get());
    EXPECT_EQ(EVP_PKEY_get_id(k), EVP_PKEY_EC);
    char curve[64] = {};
    size_t len = 0;
    EVP_PKEY_get_group_name(k, curve, sizeof curve, &len);
    EXPECT_STREQ(curve, "prime256v1");
    EXPECT_EQ(X509_get_signature_nid(ec.get()), NID_ecdsa_with_SHA256);
    X509Ptr ed = parse_der(make("ed25519"));
    EXPECT_EQ(EVP_PKEY_get_id(X509_get0_pubkey(ed.get())), EVP_PKEY_ED25519);
    EXPECT_EQ(X509_get_signature_nid(ed.get()), NID_ED25519);
}

TEST(CertFactory, DnsSanShapeHoldsOnlyADnsName) {
    Sans s = sans_of(parse_der(make("dns-san")).get());
    EXPECT_TRUE(s.ips.empty());
    EXPECT_EQ(s.dns, std::vector<std::string>{"localhost"});
}

TEST(CertFactory, IssuerSignsLeaf) {
    CertSpec ca_spec = shape("ca-true", "127.0.0.1");
    ca_spec.common_name = "Test Root";
    ca_spec.fresh_key = true;  // else the leaf would share its key and verify itself
    GeneratedCert ca = make_certificate(ca_spec);
    CertSpec leaf_spec = shape("good", "127.0.0.25");
    leaf_spec.serial = 4242;
    GeneratedCert leaf = make_certificate(leaf_spec, &ca);
    X509Ptr ca_x = parse_der(ca);
    X509Ptr leaf_x = parse_der(leaf);
    EXPECT_EQ(X509_check_issued(ca_x.get(), leaf_x.get()), X509_V_OK);
    EXPECT_EQ(X509_verify(leaf_x.get(), X509_get0_pubkey(ca_x.get())), 1);
    EXPECT_FALSE(self_signature_verifies(leaf_x.get()));
    EXPECT_EQ(ASN1_INTEGER_get(X509_get0_serialNumber(leaf_x.get())), 4242);
}

TEST(CertFactory, RandomSerialsDiffer) {
    EXPECT_NE(make("ecdsa").sha256, make("ecdsa").sha256);
}

TEST(CertFactory, KeysAreReusedUnlessAFreshOneIsAsked) {
    CertSpec spec = shape("good", "127.0.0.25");
    EXPECT_EQ(make_certificate(spec).key_pem, make_certificate(spec).key_pem);
    spec.fresh_key = true;
    EXPECT_NE(make_certificate(spec).key_pem, make_certificate(spec).key_pem);
}

TEST(CertFactory, BadInputThrows) {
    EXPECT_THROW(shape("no-such-shape", "127.0.0.1"), std::invalid_argument);
    CertSpec spec;
    spec.san_ips = {"not-an-ip"};
    EXPECT_THROW(make_certificate(spec), std::runtime_error);
    CertSpec bad_digest;
    bad_digest.digest = "md-nonsense";
    EXPECT_THROW(make_certificate(bad_digest), std::runtime_error);
}

}  // namespace

namespace epos::testing {
namespace {

TEST(CertFactory, TooBroadAddsPublicNamesBesideThePrinter) {
    const CertSpec spec = shape("too-broad", "127.0.0.25");
    EXPECT_EQ(spec.san_ips, std::vector<std::string>{"127.0.0.25"});
    EXPECT_EQ(spec.san_dns, (std::vector<std::string>{"www.example-bank.com", "*.odoo.com",
                                                      "accounts.google.com"}));
}

}  // namespace
}  // namespace epos::testing
