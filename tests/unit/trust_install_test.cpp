// The trust/untrust/list operations on real NSS databases (certutil as oracle), with
// certificates of every shape: what is installed where, what is refused, and the journal.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "cert/certificate.hpp"
#include "cert/findings.hpp"
#include "nss_test_helpers.hpp"
#include "ops/list.hpp"
#include "ops/trust.hpp"
#include "ops/untrust.hpp"
#include "util/failure.hpp"
#include "wire/list_json.hpp"
#include "wire/trust_json.hpp"
#include "wire/untrust_json.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;
using store::StoreKind;
using store::StoreSpec;
using store::TrustKind;

struct Judged {
    cert::Certificate leaf;
    cert::Judgement judgement;
};

Judged judged(const GeneratedCert& generated, const std::string& host = "127.0.0.1") {
    auto leaf = cert::Certificate::from_der(generated.der);
    cert::Context facts;
    facts.host = host;
    facts.tls_version = 0x0304;  // TLS 1.3
    facts.answered_as_epos = true;
    auto judgement = cert::judge(leaf, facts);
    return {std::move(leaf), std::move(judgement)};
}

class TrustInstallTest : public ::testing::Test {
  protected:
    void SetUp() override {
        make_nss_database(chromium_);
        make_nss_database(firefox_);
    }

    std::vector<StoreSpec> specs() const {
        return {
            {StoreKind::Nss, chromium_, TrustKind::TrustedPeer, Caller::Family::Chrome, "Chromium"},
            {StoreKind::Nss, firefox_, TrustKind::Anchor, Caller::Family::Firefox, "Firefox"}};
    }

    nlohmann::json install(const GeneratedCert& cert, std::vector<StoreSpec> only = {}) {
        const auto j = judged(cert);
        return wire::to_json(ops::install(j.leaf, j.judgement, "127.0.0.1",
                                          "https://127.0.0.1:8443", only.empty() ? specs() : only,
                                          journal_));
    }

    TempDir tmp_;
    fs::path chromium_ = tmp_ / "chromium";
    fs::path firefox_ = tmp_ / "firefox";
    store::Journal journal_{tmp_ / "state" / "journal.json"};
};

TEST_F(TrustInstallTest, GoodCertificateGoesToEveryStoreWithItsTrust) {
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    const auto result = install(cert);

    EXPECT_EQ(result["sha256"], cert.sha256);
    ASSERT_EQ(result["stores"].size(), 2u);
    EXPECT_EQ(result["stores"][0]["outcome"], "installed");
    EXPECT_EQ(result["stores"][0]["trust"], "trusted_peer");
    EXPECT_EQ(result["stores"][0]["effective"], "now");
    EXPECT_EQ(result["stores"][1]["outcome"], "installed");
    EXPECT_EQ(result["stores"][1]["effective"], "after_flush");
    EXPECT_EQ(result["firefox_flush_module"], ops::kFirefoxFlushModule);
    EXPECT_EQ(result["restart_needed"], false);
    const std::string nickname = store::make_nickname("127.0.0.1", cert.sha256);
    EXPECT_EQ(certutil_trust(chromium_, nickname), "P,,");
    EXPECT_EQ(certutil_trust(firefox_, nickname), "C,,");

    const auto entries = journal_.read();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].store_id, "nss:" + chromium_.string());
    EXPECT_EQ(entries[0].sha256, cert.sha256);
    EXPECT_EQ(entries[0].address, "127.0.0.1");
    EXPECT_EQ(entries[0].url, "https://127.0.0.1:8443");
    EXPECT_EQ(entries[1].trust, "anchor");
}

TEST_F(TrustInstallTest, TrustingTwiceIsANoOp) {
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    install(cert);
    const std::string journal_before = shell("cat " + quoted(journal_.path())).output;
    const std::string chromium_before = certutil_list(chromium_);

    const auto again = install(cert);

    EXPECT_EQ(again["stores"][0]["outcome"], "already_present");
    EXPECT_EQ(again["stores"][1]["outcome"], "already_present");
    EXPECT_EQ(shell("cat " + quoted(journal_.path())).output, journal_before);
    EXPECT_EQ(certutil_list(chromium_), chromium_before);
}

TEST_F(TrustInstallTest, FirefoxNeverAnchorsACaCertificateButChromeTakesItAsAPeer) {
    for (const char* name : {"ca-true"}) {
        const auto cert = make_certificate(shape(name, "127.0.0.1"));
        const auto result = install(cert);
        EXPECT_EQ(result["stores"][0]["outcome"], "installed") << name;
        EXPECT_EQ(result["stores"][1]["outcome"], "failed") << name;
        EXPECT_EQ(result["stores"][1]["code"], "certificate_unusable") << name;
        EXPECT_NE(result["stores"][1]["reason"].get<std::string>().find("Firefox"),
                  std::string::npos);
        EXPECT_TRUE(result["firefox_flush_module"].is_null());
        const std::string nickname = store::make_nickname("127.0.0.1", cert.sha256);
        EXPECT_EQ(certutil_trust(chromium_, nickname), "P,,") << name;
        EXPECT_EQ(certutil_trust(firefox_, nickname), "") << name;
    }
}

TEST_F(TrustInstallTest, NoStoreAnchorsADangerousCertificate) {
    const auto cert = make_certificate(shape("ca-true", "127.0.0.1"));
    const StoreSpec anchor_only{StoreKind::Nss, chromium_, TrustKind::Anchor,
                                Caller::Family::Chrome, "anchor store"};
    try {
        install(cert, {anchor_only});
        ADD_FAILURE() << "a CA:TRUE certificate was anchored";
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "certificate_unusable");
    }
    EXPECT_EQ(certutil_list(chromium_).find("epos-trust"), std::string::npos);
}

TEST_F(TrustInstallTest, UnusableEverywhereIsRefusedWithFindingsAndNothingInstalled) {
    // v1 has no extensions, hence no SAN either: no browser can use it (docs/browser-behaviour.md
    // §5).
    for (const char* name : {"no-san", "wrong-san", "expired", "v1"}) {
        const auto cert = make_certificate(shape(name, "127.0.0.1"));
        try {
            install(cert);
            ADD_FAILURE() << name << " was installed";
        } catch (const Failure& failure) {
            EXPECT_EQ(failure.code(), "certificate_unusable") << name;
            const auto& details = failure.details();
            EXPECT_FALSE(details["findings"].empty()) << name;
            EXPECT_EQ(details["verdict"]["chrome"], "unusable") << name;
            EXPECT_NE(std::string(failure.what()).find("cannot use"), std::string::npos);
        }
        EXPECT_EQ(certutil_list(chromium_).find("epos-trust"), std::string::npos) << name;
        EXPECT_EQ(certutil_list(firefox_).find("epos-trust"), std::string::npos) << name;
        EXPECT_TRUE(journal_.read().empty()) << name;
    }
}

TEST_F(TrustInstallTest, NoStoreAtAll) {
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    const auto j = judged(cert);
    try {
        ops::install(j.leaf, j.judgement, "127.0.0.1", "https://127.0.0.1", {}, journal_);
        ADD_FAILURE();
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "no_store");
    }
}

TEST_F(TrustInstallTest, OneStoreFailingDoesNotStopTheOthers) {
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    auto stores = specs();
    stores.push_back(
        {StoreKind::Nss, tmp_ / "missing", TrustKind::TrustedPeer, Caller::Family::Chrome, "gone"});
    const auto result = install(cert, stores);
    EXPECT_EQ(result["stores"][2]["outcome"], "failed");
    EXPECT_EQ(result["stores"][2]["code"], "store_missing");
    EXPECT_EQ(journal_.read().size(), 2u);

    // Every store failing is an error reply naming each.
    try {
        install(make_certificate(shape("good", "127.0.0.1")), {stores[2]});
        ADD_FAILURE();
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "store_failed");
        EXPECT_EQ(failure.details()["stores"].size(), 1u);
    }
}

TEST_F(TrustInstallTest, UntrustRemovesExactlyWhatTheJournalSaysAndListFollows) {
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    const auto other = make_certificate(shape("good", "127.0.0.2"));
    certutil_add(chromium_, other, "Other printer", "P,,");
    install(cert);
    // Someone else installed the same printer in Firefox by hand in a second profile: not ours.
    const fs::path by_hand = tmp_ / "by-hand";
    make_nss_database(by_hand);
    certutil_add(by_hand, cert, "by hand", "C,,");

    auto listed = wire::to_json(ops::list(journal_));
    ASSERT_EQ(listed["entries"].size(), 2u);
    EXPECT_EQ(listed["entries"][0]["present"], true);

    const auto result = wire::to_json(ops::untrust(cert.sha256, journal_));
    ASSERT_EQ(result["stores"].size(), 2u);
    EXPECT_EQ(result["stores"][0]["outcome"], "removed");
    EXPECT_EQ(result["stores"][1]["outcome"], "removed");
    EXPECT_TRUE(journal_.read().empty());
    EXPECT_EQ(certutil_list(chromium_).find("epos-trust"), std::string::npos);
    EXPECT_EQ(certutil_trust(chromium_, "Other printer"), "P,,");
    EXPECT_EQ(certutil_trust(by_hand, "by hand"), "C,,");

    try {
        ops::untrust(cert.sha256, journal_);
        ADD_FAILURE();
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "not_trusted");
    }
}

TEST_F(TrustInstallTest, ListSaysWhenAnEntryWasRemovedBehindItsBack) {
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    install(cert);
    const std::string nickname = store::make_nickname("127.0.0.1", cert.sha256);
    ASSERT_EQ(shell("certutil -D -d sql:" + quoted(chromium_) + " -n '" + nickname + "'").status,
              0);
    const auto listed = wire::to_json(ops::list(journal_));
    EXPECT_EQ(listed["entries"][0]["present"], false);
    EXPECT_EQ(listed["entries"][1]["present"], true);
    // untrust then finds nothing there and still forgets the entry.
    const auto result = wire::to_json(ops::untrust(cert.sha256, journal_));
    EXPECT_EQ(result["stores"][0]["outcome"], "not_present");
    EXPECT_TRUE(journal_.read().empty());
}

TEST_F(TrustInstallTest, AStoreThatCannotBeChangedKeepsItsJournalEntry) {
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    install(cert);
    write_file(firefox_ / "cert9.db", "broken");
    const auto result = wire::to_json(ops::untrust(cert.sha256, journal_));
    EXPECT_EQ(result["stores"][0]["outcome"], "removed");
    EXPECT_EQ(result["stores"][1]["outcome"], "failed");
    const auto left = journal_.read();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].store_id, "nss:" + firefox_.string());
}

TEST_F(TrustInstallTest, TwentyConcurrentTrustsGiveOneEntryAndAnIntactDatabase) {
    const auto other = make_certificate(shape("good", "127.0.0.2"));
    certutil_add(chromium_, other, "Other printer", "P,,");
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    constexpr int kProcesses = 20;
    std::vector<pid_t> children;
    for (int i = 0; i < kProcesses; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            try {
                store::Journal journal(journal_.path());
                const auto j = judged(cert);
                const auto result = ops::install(j.leaf, j.judgement, "127.0.0.1",
                                                 "https://127.0.0.1:8443", specs(), journal);
                ::_exit(result.stores[0].failed() ? 2 : 0);
            } catch (...) {
                ::_exit(1);
            }
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    }
    EXPECT_EQ(journal_.read().size(), 2u);  // one entry per store
    const std::string list = certutil_list(chromium_);
    EXPECT_EQ(list.find("epos-trust"), list.rfind("epos-trust")) << list;
    EXPECT_EQ(certutil_trust(chromium_, "Other printer"), "P,,");
    const Shell integrity = shell("certutil -K -d sql:" + quoted(chromium_) + " && sqlite3 " +
                                  quoted(chromium_ / "cert9.db") + " 'PRAGMA integrity_check;'");
    EXPECT_NE(integrity.output.find("ok"), std::string::npos) << integrity.output;
}

TEST(NormaliseSha256, AcceptsTheUsualWritingsAndRefusesTheRest) {
    const std::string hex(64, 'a');
    EXPECT_EQ(ops::normalise_sha256(hex), hex);
    std::string grouped;
    for (int i = 0; i < 32; ++i) {
        grouped += (i ? ":" : "") + std::string("AA");
    }
    EXPECT_EQ(ops::normalise_sha256(grouped), hex);
    for (const std::string& bad : {std::string(63, 'a'), std::string(65, 'a'), std::string(64, 'g'),
                                   std::string(), "aa-" + std::string(62, 'a')}) {
        try {
            ops::normalise_sha256(bad);
            ADD_FAILURE() << bad;
        } catch (const Failure& failure) {
            EXPECT_EQ(failure.code(), "bad_request");
        }
    }
}

}  // namespace
}  // namespace epos::testing

namespace epos::testing {
namespace {

std::string trust_failure_code(const ops::Context& context, const std::string& sha256) {
    try {
        // Port 1 on loopback: nothing listens, so getting that far is "unreachable".
        ops::trust(context, {"https://127.0.0.1:1", sha256, {}});
    } catch (const Failure& failure) {
        return failure.code();
    }
    return "no failure";
}

TEST(TrustPolicy, ForbiddenInstallsOnlyLetPinnedFingerprintsThrough) {
    const std::string pinned(64, 'a');
    const std::string other(64, 'b');
    ops::Context context;
    context.policy.installs_allowed = false;
    context.policy.pinned_sha256 = {pinned};
    EXPECT_EQ(trust_failure_code(context, other), "policy_forbids");
    EXPECT_EQ(trust_failure_code(context, pinned), "unreachable");
    context.policy.installs_allowed = true;
    EXPECT_EQ(trust_failure_code(context, other), "unreachable");
}

TEST(TrustPolicy, ARefusedPolicyFileFailsClosed) {
    ops::Context context;
    context.policy.error = "policy.json is writable by everyone";
    EXPECT_EQ(trust_failure_code(context, std::string(64, 'a')), "policy_invalid");
}

}  // namespace
}  // namespace epos::testing

namespace epos::testing {
namespace {

// A certificate whose names reach beyond the printer is refused whole, before the journal or any
// store is touched, even by a caller that skips trust()'s fetch (install is the last door).
TEST_F(TrustInstallTest, TooBroadCertificateIsRefusedAndNothingIsWritten) {
    const std::string chromium_before = certutil_list(chromium_);
    const std::string firefox_before = certutil_list(firefox_);
    for (const char* extra : {"www.example-bank.com", "*.local", "printer.example"}) {
        SCOPED_TRACE(extra);
        CertSpec spec = shape("good", "127.0.0.1");
        spec.san_dns.push_back(extra);
        const auto cert = make_certificate(spec);
        try {
            install(cert);
            FAIL() << "installed";
        } catch (const Failure& failure) {
            EXPECT_EQ(failure.code(), "certificate_too_broad");
            EXPECT_EQ(failure.details(), (nlohmann::json{{"names", {extra}}}));
        }
        EXPECT_EQ(certutil_list(chromium_), chromium_before);
        EXPECT_EQ(certutil_list(firefox_), firefox_before);
        EXPECT_FALSE(fs::exists(journal_.path()));
    }
}

// An install an older epos-trust made of such a certificate: list reads the certificate back from
// the store and marks the entry; a good one beside it is not marked.
TEST_F(TrustInstallTest, ListMarksAnOlderTooBroadInstall) {
    const auto good = make_certificate(shape("good", "127.0.0.1"));
    install(good, {specs()[0]});
    const auto broad = make_certificate(shape("too-broad", "127.0.0.1"));
    const std::string nickname = store::make_nickname("127.0.0.1", broad.sha256);
    certutil_add(chromium_, broad, nickname, "P,,");
    journal_.update([&](std::vector<store::JournalEntry>& entries) {
        entries.push_back({broad.sha256,
                           "nss:" + chromium_.string(),
                           "nss",
                           chromium_.string(),
                           "trusted_peer",
                           nickname,
                           "127.0.0.1",
                           "https://127.0.0.1:8443",
                           "2026-01-01T00:00:00Z",
                           {},
                           ""});
        return true;
    });

    const auto listed = wire::to_json(ops::list(journal_))["entries"];
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0]["sha256"], good.sha256);
    EXPECT_EQ(listed[0]["too_broad"], false);
    EXPECT_FALSE(listed[0].contains("public_names"));
    EXPECT_EQ(listed[1]["too_broad"], true);
    EXPECT_EQ(listed[1]["public_names"],
              (nlohmann::json{"www.example-bank.com", "*.odoo.com", "accounts.google.com"}));
    EXPECT_EQ(listed[1]["present"], true);
}

// A store that no longer holds the certificate cannot say what it named: unknown, not "fine".
TEST_F(TrustInstallTest, ListSaysUnknownWhenNoStoreHoldsTheCertificate) {
    const auto good = make_certificate(shape("good", "127.0.0.1"));
    install(good, {specs()[0]});
    const Shell removed = shell("certutil -D -d sql:" + quoted(chromium_) + " -n '" +
                                store::make_nickname("127.0.0.1", good.sha256) + "'");
    ASSERT_EQ(removed.status, 0) << removed.output;
    const auto listed = wire::to_json(ops::list(journal_))["entries"];
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["present"], false);
    EXPECT_TRUE(listed[0]["too_broad"].is_null());
}

}  // namespace
}  // namespace epos::testing
