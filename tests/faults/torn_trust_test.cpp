// A trust object torn between cert9.db and key4.db (tests/faults/README.md), made on purpose: NSS
// writes the trust object into cert9.db and the MACs of its attributes into key4.db in separate
// transactions, so a writer killed in between leaves a trust object whose CKA_CERT_SHA1_HASH NSS
// will not read. The kill suite found it at random; here the MAC rows are deleted with sqlite3
// so the case is the same every run. What must hold: the store does not count it as trusted
// (certutil and the browser don't), add() repairs it to the state certutil shows as P,,, remove()
// takes it all away, and the process survives NSS's shutdown afterwards.
#include <gtest/gtest.h>

#include "nss_test_helpers.hpp"
#include "store/nss/nss_store.hpp"

namespace epos::testing {
namespace {

using store::Outcome;
using store::TrustKind;
using store::nss::NssStore;

// Deletes the key4.db MACs of every trust object's CKA_CERT_SHA1_HASH (0xce5363b4).
void tear_trust(const std::filesystem::path& db) {
    const auto run = shell("sqlite3 " + quoted(db / "key4.db") +
                           " \"DELETE FROM metaData WHERE id LIKE 'sig_cert_%_ce5363b4';\"");
    ASSERT_EQ(run.status, 0) << run.output;
}

class TornTrust : public ::testing::Test {
  protected:
    void SetUp() override {
        make_nss_database(db_);
        NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
        ASSERT_EQ(store.add(record_of(printer_)).outcome, Outcome::Installed);
        ASSERT_EQ(certutil_trust(db_, record_of(printer_).nickname), "P,,");
        tear_trust(db_);
        ASSERT_EQ(certutil_trust(db_, record_of(printer_).nickname), ",,")
            << "the torn trust object should read as untrusted, as it does for the browser";
    }

    TempDir tmp_;
    std::filesystem::path db_ = tmp_ / "nssdb";
    GeneratedCert printer_ = make_certificate(shape("good", "127.0.0.1"));
};

TEST_F(TornTrust, IsNotCountedAsTrusted) {
    EXPECT_FALSE(NssStore(db_, TrustKind::TrustedPeer, "Chromium").contains(printer_.sha256));
}

TEST_F(TornTrust, AddRepairsItAndNssShutsDownCleanly) {
    const auto result = NssStore(db_, TrustKind::TrustedPeer, "Chromium").add(record_of(printer_));
    EXPECT_EQ(result.outcome, Outcome::Installed) << result.code << " " << result.reason;
    EXPECT_EQ(certutil_trust(db_, record_of(printer_).nickname), "P,,") << certutil_list(db_);
    EXPECT_TRUE(NssStore(db_, TrustKind::TrustedPeer, "Chromium").contains(printer_.sha256));
    EXPECT_EQ(shell("sqlite3 " + quoted(db_ / "cert9.db") + " 'PRAGMA integrity_check;'").output,
              "ok\n");
}

TEST_F(TornTrust, RemoveTakesItAllAway) {
    const auto result = NssStore(db_, TrustKind::TrustedPeer, "Chromium").remove(printer_.sha256);
    EXPECT_EQ(result.outcome, Outcome::Removed) << result.code << " " << result.reason;
    EXPECT_EQ(certutil_list(db_).find("epos-trust"), std::string::npos) << certutil_list(db_);
}

}  // namespace
}  // namespace epos::testing

namespace epos::testing {
namespace {

// What an add killed between its two objects leaves: the certificate under our label, no trust.
TEST(InterruptedAdd, CertificateWithoutTrustIsCompleted) {
    TempDir tmp;
    const auto db = tmp / "nssdb";
    make_nss_database(db);
    const auto printer = make_certificate(shape("good", "127.0.0.1"));
    ASSERT_EQ(NssStore(db, TrustKind::TrustedPeer, "Chromium").add(record_of(printer)).outcome,
              Outcome::Installed);
    const auto run = shell("sqlite3 " + quoted(db / "cert9.db") +
                           " \"DELETE FROM nssPublic WHERE a0 = X'CE534353';\"");
    ASSERT_EQ(run.status, 0) << run.output;
    ASSERT_EQ(certutil_trust(db, record_of(printer).nickname), ",,");
    const auto result = NssStore(db, TrustKind::TrustedPeer, "Chromium").add(record_of(printer));
    EXPECT_EQ(result.outcome, Outcome::Installed) << result.code << " " << result.reason;
    EXPECT_EQ(certutil_trust(db, record_of(printer).nickname), "P,,") << certutil_list(db);
}

}  // namespace
}  // namespace epos::testing
