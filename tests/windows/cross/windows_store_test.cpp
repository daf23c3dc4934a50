// The crypt32 trust store, for real, under wine (docs/browser-behaviour.md §7): every operation
// goes through the Windows API into the registry-backed system stores of this test's own
// WINEPREFIX. Independent checks read the stores with crypt32 directly, not through
// WindowsCertStore.

#include <gtest/gtest.h>

#include <windows.h>
// wincrypt.h needs windows.h first.
#include <wincrypt.h>

#include <string>

#include "store/windows/windows_store.hpp"
#include "test_certificates.hpp"

namespace {

using epos::store::Outcome;
using epos::store::StoreKind;
using epos::store::TrustKind;
using epos::store::windows::StoreLocation;
using epos::store::windows::StoreScope;
using epos::store::windows::WindowsCertStore;
using epos::testing::load_test_certificate;
using epos::testing::record_for;
using epos::testing::TestCertificate;

DWORD scope_flag(const StoreLocation& location) {
    return location.scope == StoreScope::CurrentUser ? CERT_SYSTEM_STORE_CURRENT_USER
                                                     : CERT_SYSTEM_STORE_LOCAL_MACHINE;
}

// How many entries of the store hold exactly these bytes: the oracle, independent of
// WindowsCertStore's own SHA-256 lookup.
int count_encoded(const StoreLocation& location, const std::vector<unsigned char>& der) {
    HCERTSTORE store = CertOpenStore(
        CERT_STORE_PROV_SYSTEM_W, 0, 0,
        scope_flag(location) | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG,
        location.name.c_str());
    if (store == nullptr) {
        return 0;
    }
    int count = 0;
    PCCERT_CONTEXT context = nullptr;
    while ((context = CertEnumCertificatesInStore(store, context)) != nullptr) {
        if (context->cbCertEncoded == der.size() &&
            std::equal(der.begin(), der.end(), context->pbCertEncoded)) {
            ++count;
        }
    }
    CertCloseStore(store, 0);
    return count;
}

// Puts a certificate into the store the way another program would (no friendly name, not
// through epos-trust).
void add_foreign(const StoreLocation& location, const std::vector<unsigned char>& der) {
    HCERTSTORE store =
        CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, scope_flag(location), location.name.c_str());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der.data(),
                                                 static_cast<DWORD>(der.size()),
                                                 CERT_STORE_ADD_REPLACE_EXISTING, nullptr));
    CertCloseStore(store, 0);
}

void delete_foreign(const StoreLocation& location, const std::vector<unsigned char>& der) {
    for (int attempt = 0; attempt < 4 && count_encoded(location, der) > 0; ++attempt) {
        HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, scope_flag(location),
                                         location.name.c_str());
        ASSERT_NE(store, nullptr);
        PCCERT_CONTEXT context = nullptr;
        while ((context = CertEnumCertificatesInStore(store, context)) != nullptr) {
            if (context->cbCertEncoded == der.size() &&
                std::equal(der.begin(), der.end(), context->pbCertEncoded)) {
                break;
            }
        }
        if (context != nullptr) {
            CertDeleteCertificateFromStore(context);
            // Needed under wine, see commit() in windows_store.cpp.
            CertControlStore(store, 0, CERT_STORE_CTRL_COMMIT, nullptr);
        }
        CertCloseStore(store, 0);
    }
    ASSERT_EQ(count_encoded(location, der), 0);
}

class WindowsStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        good_ = load_test_certificate("good");
        other_ = load_test_certificate("other");
        // Start from a clean store even if an earlier run was interrupted.
        for (const auto& location :
             {StoreLocation::current_user_root(), StoreLocation::local_machine_trusted_people()}) {
            WindowsCertStore(location).remove(good_.sha256);
            delete_foreign(location, other_.der);
        }
    }
    void TearDown() override { SetUp(); }

    TestCertificate good_;
    TestCertificate other_;
};

TEST_F(WindowsStoreTest, FingerprintMatchesOpenSsl) {
    EXPECT_EQ(epos::store::windows::certificate_sha256(good_.der), good_.sha256);
    EXPECT_EQ(epos::store::windows::certificate_sha256(other_.der), other_.sha256);
    EXPECT_NE(good_.sha256, other_.sha256);
}

TEST_F(WindowsStoreTest, DescribesCurrentUserRoot) {
    WindowsCertStore store(StoreLocation::current_user_root());
    EXPECT_EQ(store.id(), "windows:CurrentUser/ROOT");
    EXPECT_EQ(store.kind(), StoreKind::Windows);
    EXPECT_EQ(store.location(), "CurrentUser/ROOT");
    EXPECT_EQ(store.label(), "Windows: Trusted Root Certification Authorities (current user)");
    EXPECT_EQ(store.trust_kind(), TrustKind::Anchor);
}

TEST_F(WindowsStoreTest, AddFindRemoveInCurrentUserRoot) {
    WindowsCertStore store(StoreLocation::current_user_root());
    const auto location = StoreLocation::current_user_root();
    EXPECT_FALSE(store.contains(good_.sha256));
    EXPECT_EQ(count_encoded(location, good_.der), 0);

    const auto added = store.add(record_for(good_, "127.0.0.1"));
    EXPECT_EQ(added.outcome, Outcome::Installed) << added.code << ": " << added.reason;
    EXPECT_TRUE(store.contains(good_.sha256));
    EXPECT_EQ(count_encoded(location, good_.der), 1);

    // A fresh object (a fresh process, as far as crypt32 is concerned) sees it too.
    EXPECT_TRUE(WindowsCertStore(location).contains(good_.sha256));

    const auto removed = store.remove(good_.sha256);
    EXPECT_EQ(removed.outcome, Outcome::Removed) << removed.code << ": " << removed.reason;
    EXPECT_FALSE(store.contains(good_.sha256));
    EXPECT_EQ(count_encoded(location, good_.der), 0);
}

TEST_F(WindowsStoreTest, FingerprintLookupIgnoresCase) {
    WindowsCertStore store(StoreLocation::current_user_root());
    ASSERT_EQ(store.add(record_for(good_, "127.0.0.1")).outcome, Outcome::Installed);
    std::string upper = good_.sha256;
    for (auto& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    EXPECT_TRUE(store.contains(upper));
    EXPECT_EQ(store.remove(upper).outcome, Outcome::Removed);
}

TEST_F(WindowsStoreTest, AddingTwiceIsAlreadyPresentAndKeepsOneEntry) {
    WindowsCertStore store(StoreLocation::current_user_root());
    ASSERT_EQ(store.add(record_for(good_, "127.0.0.1")).outcome, Outcome::Installed);
    const auto again = store.add(record_for(good_, "127.0.0.1"));
    EXPECT_EQ(again.outcome, Outcome::AlreadyPresent) << again.code << ": " << again.reason;
    EXPECT_EQ(count_encoded(StoreLocation::current_user_root(), good_.der), 1);
}

TEST_F(WindowsStoreTest, RemovingAnAbsentCertificateIsNotPresent) {
    WindowsCertStore store(StoreLocation::current_user_root());
    const auto result = store.remove(good_.sha256);
    EXPECT_EQ(result.outcome, Outcome::NotPresent) << result.code << ": " << result.reason;
    EXPECT_EQ(store.remove(std::string(64, '0')).outcome, Outcome::NotPresent);
}

TEST_F(WindowsStoreTest, LeavesCertificatesItDidNotInstallAlone) {
    const auto location = StoreLocation::current_user_root();
    add_foreign(location, other_.der);
    ASSERT_EQ(count_encoded(location, other_.der), 1);

    WindowsCertStore store(location);
    EXPECT_TRUE(store.contains(other_.sha256));
    ASSERT_EQ(store.add(record_for(good_, "127.0.0.1")).outcome, Outcome::Installed);
    ASSERT_EQ(store.remove(good_.sha256).outcome, Outcome::Removed);

    EXPECT_EQ(count_encoded(location, other_.der), 1);
    EXPECT_EQ(count_encoded(location, good_.der), 0);
    // Its name is not ours and was not changed.
    EXPECT_EQ(store.friendly_name(other_.sha256), "");
}

TEST_F(WindowsStoreTest, SetsTheFriendlyNameAPersonSeesInCertmgr) {
    WindowsCertStore store(StoreLocation::current_user_root());
    const auto record = record_for(good_, "127.0.0.1");
    ASSERT_EQ(store.add(record).outcome, Outcome::Installed);
    EXPECT_EQ(WindowsCertStore(StoreLocation::current_user_root()).friendly_name(good_.sha256),
              record.nickname);
    EXPECT_EQ(record.nickname.rfind("epos-trust 127.0.0.1 ", 0), 0u);
}

TEST_F(WindowsStoreTest, LocalMachineTrustedPeopleAddAndRemove) {
    const auto location = StoreLocation::local_machine_trusted_people();
    WindowsCertStore store(location);
    EXPECT_EQ(store.trust_kind(), TrustKind::TrustedPeer);
    EXPECT_EQ(store.id(), "windows:LocalMachine/TrustedPeople");

    const auto added = store.add(record_for(good_, "127.0.0.25"));
    ASSERT_EQ(added.outcome, Outcome::Installed) << added.code << ": " << added.reason;
    EXPECT_TRUE(store.contains(good_.sha256));
    EXPECT_EQ(count_encoded(location, good_.der), 1);
    // Only that store: the current user's ROOT did not gain an anchor.
    EXPECT_FALSE(WindowsCertStore(StoreLocation::current_user_root()).contains(good_.sha256));
    EXPECT_EQ(store.friendly_name(good_.sha256),
              "epos-trust 127.0.0.25 " + good_.sha256.substr(0, 8));

    EXPECT_EQ(store.add(record_for(good_, "127.0.0.25")).outcome, Outcome::AlreadyPresent);
    EXPECT_EQ(store.remove(good_.sha256).outcome, Outcome::Removed);
    EXPECT_EQ(count_encoded(location, good_.der), 0);
    EXPECT_EQ(store.remove(good_.sha256).outcome, Outcome::NotPresent);
}

TEST_F(WindowsStoreTest, BadDerFailsAndChangesNothing) {
    WindowsCertStore store(StoreLocation::current_user_root());
    auto record = record_for(good_, "127.0.0.1");
    record.der = {0x30, 0x03, 0x02, 0x01, 0x01};  // a DER SEQUENCE, but no certificate
    record.sha256.clear();
    const auto result = store.add(record);
    EXPECT_EQ(result.outcome, Outcome::Failed);
    EXPECT_EQ(result.code, epos::store::windows::kCertificateInvalid);
    EXPECT_NE(result.reason.find("Windows cannot read this certificate"), std::string::npos)
        << result.reason;

    auto truncated = record_for(good_, "127.0.0.1");
    truncated.der.resize(truncated.der.size() / 2);
    truncated.sha256.clear();
    EXPECT_EQ(store.add(truncated).code, epos::store::windows::kCertificateInvalid);

    EXPECT_EQ(store.add({}).code, epos::store::windows::kCertificateInvalid);
    EXPECT_FALSE(store.contains(good_.sha256));
}

TEST_F(WindowsStoreTest, FingerprintThatDoesNotMatchTheBytesInstallsNothing) {
    WindowsCertStore store(StoreLocation::current_user_root());
    auto record = record_for(good_, "127.0.0.1");
    record.sha256 = other_.sha256;
    const auto result = store.add(record);
    EXPECT_EQ(result.outcome, Outcome::Failed);
    EXPECT_EQ(result.code, epos::store::windows::kFingerprintMismatch);
    EXPECT_EQ(count_encoded(StoreLocation::current_user_root(), good_.der), 0);
}

TEST_F(WindowsStoreTest, AStoreThatDoesNotExistHoldsNothingAndIsNotCreatedByLookingAtIt) {
    const StoreLocation missing{StoreScope::CurrentUser, L"EposTrustNoSuchStore",
                                TrustKind::Anchor};
    WindowsCertStore store(missing);
    EXPECT_FALSE(store.contains(good_.sha256));
    EXPECT_EQ(store.remove(good_.sha256).outcome, Outcome::NotPresent);
    EXPECT_EQ(CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                            CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_OPEN_EXISTING_FLAG,
                            missing.name.c_str()),
              nullptr);
}

}  // namespace
