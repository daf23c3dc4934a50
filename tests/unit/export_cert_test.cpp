// export-cert's forms, without a printer: file names, the profile's stable identity.
#include "ops/export_cert.hpp"

#include <gtest/gtest.h>

#include "cert_factory.hpp"

namespace epos::testing {
namespace {

TEST(ExportCert, FileStemIsAFileNameEverywhere) {
    EXPECT_EQ(ops::export_file_stem("127.0.0.25"), "epos-printer-127.0.0.25");
    EXPECT_EQ(ops::export_file_stem("fd00::25"), "epos-printer-fd00--25");
    EXPECT_EQ(ops::export_file_stem("printer.shop.lan"), "epos-printer-printer.shop.lan");
    EXPECT_EQ(ops::export_file_stem("a/b\\c"), "epos-printer-a-b-c");
}

TEST(ExportCert, ProfileIsStablePerCertificateAndDistinctAcrossThem) {
    const auto a = cert::Certificate::from_der(make_certificate(shape("good", "127.0.0.25")).der);
    CertSpec other = shape("good", "127.0.0.25");
    other.serial = 4242;
    const auto b = cert::Certificate::from_der(make_certificate(other).der);
    const auto first = ops::render_export(a, "127.0.0.25", "https://127.0.0.25");
    const auto again = ops::render_export(a, "127.0.0.25", "https://127.0.0.25");
    const auto second = ops::render_export(b, "127.0.0.25", "https://127.0.0.25");
    EXPECT_EQ(first.mobileconfig, again.mobileconfig);
    EXPECT_NE(first.mobileconfig, second.mobileconfig);
    EXPECT_NE(first.mobileconfig.find("<string>com.apple.security.root</string>"),
              std::string::npos);
    EXPECT_NE(first.mobileconfig.find("<data>" + first.crt_der_base64 + "</data>"),
              std::string::npos);
    EXPECT_EQ(first.crt_der_base64.find('\n'), std::string::npos);
    EXPECT_EQ(first.crt_pem, a.pem());
}

}  // namespace
}  // namespace epos::testing
