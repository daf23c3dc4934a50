// The Linux system CA directory store, and the macOS keychain command lines (portable parts).
#include <gtest/gtest.h>

#include "nss_test_helpers.hpp"
#include "store/keychain_command.hpp"
#include "store/system_ca_store.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;
using store::Outcome;

TEST(SystemCaStore, WritesAPemFileAndRefreshes) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "the system store is root only";  // CI runs as root
    }
    TempDir tmp;
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    // The refresh command leaves a mark, to prove it ran after each change.
    const std::vector<std::string> refresh = {"sh", "-c",
                                              "echo x >> " + (tmp / "refreshed").string()};
    store::SystemCaStore ca(tmp.path(), "system", refresh);

    EXPECT_FALSE(ca.contains(cert.sha256));
    ASSERT_EQ(ca.add(record_of(cert)).outcome, Outcome::Installed);
    EXPECT_TRUE(ca.contains(cert.sha256));
    const fs::path file = ca.file_for(cert.sha256);
    EXPECT_EQ(file.filename(), "epos-trust-" + cert.sha256.substr(0, 16) + ".crt");
    // openssl reads the file back to the same certificate.
    const Shell fingerprint =
        shell("openssl x509 -in " + quoted(file) + " -noout -fingerprint -sha256");
    std::string expected;
    for (size_t i = 0; i < cert.sha256.size(); i += 2) {
        expected += (i ? ":" : "") + cert.sha256.substr(i, 2);
    }
    std::transform(expected.begin(), expected.end(), expected.begin(), ::toupper);
    EXPECT_NE(fingerprint.output.find(expected), std::string::npos) << fingerprint.output;

    EXPECT_EQ(ca.add(record_of(cert)).outcome, Outcome::AlreadyPresent);
    EXPECT_EQ(ca.remove(cert.sha256).outcome, Outcome::Removed);
    EXPECT_FALSE(fs::exists(file));
    EXPECT_EQ(ca.remove(cert.sha256).outcome, Outcome::NotPresent);
    std::ifstream marks(tmp / "refreshed");
    EXPECT_EQ(std::string((std::istreambuf_iterator<char>(marks)), {}), "x\nx\n");
}

TEST(SystemCaStore, AFailedRefreshLeavesNoFileBehind) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "the system store is root only";
    }
    TempDir tmp;
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    store::SystemCaStore ca(tmp.path(), "system", {"false"});
    const auto result = ca.add(record_of(cert));
    EXPECT_EQ(result.outcome, Outcome::Failed);
    EXPECT_EQ(result.code, "store_failed");
    EXPECT_TRUE(fs::is_empty(tmp.path()));
}

TEST(SystemCaStore, RefreshCommandFollowsTheDistribution) {
    EXPECT_EQ(store::system_ca_refresh_command("/usr/local/share/ca-certificates"),
              (std::vector<std::string>{"update-ca-certificates"}));
    EXPECT_EQ(store::system_ca_refresh_command("/etc/pki/ca-trust/source/anchors"),
              (std::vector<std::string>{"update-ca-trust", "extract"}));
    const auto spec = store::system_ca_spec();
    EXPECT_EQ(spec.kind, store::StoreKind::System);
    EXPECT_NE(spec.label.find("not read by Chrome or Firefox"), std::string::npos);
}

TEST(KeychainCommand, AddTrustsForSslAsRootInTheLoginKeychain) {
    EXPECT_EQ(
        store::keychain_add_command("/Users/ana/Library/Keychains/login.keychain-db", "/tmp/p.pem"),
        (std::vector<std::string>{"/usr/bin/security", "add-trusted-cert", "-r", "trustRoot", "-p",
                                  "ssl", "-k", "/Users/ana/Library/Keychains/login.keychain-db",
                                  "/tmp/p.pem"}));
}

TEST(KeychainCommand, DeleteBySha1WithTrustSettings) {
    EXPECT_EQ(store::keychain_delete_command("/k", "0a1b2c"),
              (std::vector<std::string>{"/usr/bin/security", "delete-certificate", "-Z", "0A1B2C",
                                        "-t", "/k"}));
}

TEST(KeychainCommand, FindsTheSha1OfACertificateBySha256) {
    const std::string output =
        "SHA-256 hash: 1111111111111111111111111111111111111111111111111111111111111111\n"
        "SHA-1 hash: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
        "keychain: \"/k\"\n"
        "SHA-256 hash: 2222222222222222222222222222222222222222222222222222222222222222\n"
        "SHA-1 hash: BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\n";
    EXPECT_EQ(store::keychain_sha1_for(output, std::string(64, '2')), std::string(40, 'b'));
    EXPECT_EQ(store::keychain_sha1_for(output, std::string(64, '1')), std::string(40, 'a'));
    EXPECT_EQ(store::keychain_sha1_for(output, std::string(64, '3')), "");
    EXPECT_EQ(
        store::keychain_find_command("/k"),
        (std::vector<std::string>{"/usr/bin/security", "find-certificate", "-a", "-Z", "/k"}));
}

TEST(DerToPem, WrapsBase64At64Columns) {
    const std::vector<unsigned char> der(100, 0xff);
    const std::string pem = store::der_to_pem(der);
    EXPECT_EQ(pem.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u);
    EXPECT_NE(pem.find(std::string(64, '/') + "\n"), std::string::npos);
    EXPECT_NE(pem.find("/w==\n-----END CERTIFICATE-----\n"), std::string::npos) << pem;
}

}  // namespace
}  // namespace epos::testing
