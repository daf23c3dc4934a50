// The NSS store against real databases made by certutil, with certutil as the oracle: what the
// store writes must read back through NSS exactly as certutil -A would have written it.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "nss_test_helpers.hpp"
#include "store/nss/nss_database.hpp"
#include "store/nss/nss_store.hpp"
#include "util/failure.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;
using store::Outcome;
using store::TrustKind;
using store::nss::NssStore;

class NssStoreTest : public ::testing::Test {
  protected:
    void SetUp() override { make_nss_database(db_); }

    TempDir tmp_;
    fs::path db_ = tmp_ / "nssdb";
    GeneratedCert printer_ = make_certificate(shape("good", "127.0.0.1"));
};

TEST_F(NssStoreTest, AddsATrustedPeerThatCertutilSeesAsPcommacomma) {
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    const auto record = record_of(printer_);
    EXPECT_FALSE(store.contains(printer_.sha256));

    const auto result = store.add(record);

    EXPECT_EQ(result.outcome, Outcome::Installed) << result.code << " " << result.reason;
    EXPECT_EQ(certutil_trust(db_, record.nickname), "P,,") << certutil_list(db_);
    EXPECT_TRUE(store.contains(printer_.sha256));
    // NSS itself accepts the entry as a valid SSL server certificate.
    const Shell verified =
        shell("certutil -V -u V -d sql:" + quoted(db_) + " -n '" + record.nickname + "'");
    EXPECT_EQ(verified.status, 0) << verified.output;
}

TEST_F(NssStoreTest, AddsAnAnchorThatCertutilSeesAsCcommacomma) {
    NssStore store(db_, TrustKind::Anchor, "Firefox");
    const auto record = record_of(printer_);
    EXPECT_EQ(store.add(record).outcome, Outcome::Installed);
    EXPECT_EQ(certutil_trust(db_, record.nickname), "C,,") << certutil_list(db_);
    EXPECT_TRUE(store.contains(printer_.sha256));
    // The same database, read as a trusted-peer store, does not count a CA entry as its own.
    EXPECT_FALSE(NssStore(db_, TrustKind::TrustedPeer, "x").contains(printer_.sha256));
}

TEST_F(NssStoreTest, AddingTwiceIsAlreadyPresentWithOneEntry) {
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    ASSERT_EQ(store.add(record_of(printer_)).outcome, Outcome::Installed);
    EXPECT_EQ(store.add(record_of(printer_)).outcome, Outcome::AlreadyPresent);
    const std::string list = certutil_list(db_);
    EXPECT_EQ(list.find("epos-trust"), list.rfind("epos-trust")) << list;
}

TEST_F(NssStoreTest, NicknameOfAnIpv6PrinterHasNoColon) {
    const auto cert = make_certificate(shape("good", "::1"));
    const auto record = record_of(cert, "::1");
    EXPECT_EQ(record.nickname.find(':'), std::string::npos);
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    ASSERT_EQ(store.add(record).outcome, Outcome::Installed);
    EXPECT_EQ(certutil_trust(db_, record.nickname), "P,,") << certutil_list(db_);
}

TEST_F(NssStoreTest, RemoveTakesOutCertificateAndTrust) {
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    ASSERT_EQ(store.add(record_of(printer_)).outcome, Outcome::Installed);
    EXPECT_EQ(store.remove(printer_.sha256).outcome, Outcome::Removed);
    EXPECT_FALSE(store.contains(printer_.sha256));
    EXPECT_EQ(certutil_list(db_).find("epos-trust"), std::string::npos) << certutil_list(db_);
    EXPECT_EQ(store.remove(printer_.sha256).outcome, Outcome::NotPresent);
}

TEST_F(NssStoreTest, OtherCertificatesAreUnchangedByAddAndRemove) {
    const auto other_ca = make_certificate(shape("ca-true", "127.0.0.9"));
    const auto other_leaf = make_certificate(shape("good", "127.0.0.8"));
    certutil_add(db_, other_ca, "Other CA", "C,,");
    certutil_add(db_, other_leaf, "Other server", "P,,");
    const std::string before = certutil_list(db_);
    const std::string ca_before =
        shell("certutil -L -d sql:" + quoted(db_) + " -n 'Other CA' -r | sha256sum").output;

    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    ASSERT_EQ(store.add(record_of(printer_)).outcome, Outcome::Installed);
    const std::string during = certutil_list(db_);
    EXPECT_NE(during.find("Other CA"), std::string::npos);
    EXPECT_NE(during.find("Other server"), std::string::npos);
    EXPECT_EQ(certutil_trust(db_, "Other CA"), "C,,") << during;
    ASSERT_EQ(store.remove(printer_.sha256).outcome, Outcome::Removed);

    EXPECT_EQ(certutil_list(db_), before);
    EXPECT_EQ(shell("certutil -L -d sql:" + quoted(db_) + " -n 'Other CA' -r | sha256sum").output,
              ca_before);
}

TEST_F(NssStoreTest, NeverTouchesTheSameCertificateSetUpBySomeoneElse) {
    certutil_add(db_, printer_, "printer by hand", "C,,");
    const std::string before = certutil_list(db_);
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");

    const auto added = store.add(record_of(printer_));
    EXPECT_EQ(added.outcome, Outcome::Failed);
    EXPECT_EQ(added.code, store::nss::kConflict);
    const auto removed = store.remove(printer_.sha256);
    EXPECT_EQ(removed.outcome, Outcome::Failed);
    EXPECT_EQ(removed.code, store::nss::kConflict);
    EXPECT_EQ(certutil_list(db_), before);
}

TEST_F(NssStoreTest, AnUntrustedCopyUnderAnotherLabelIsAConflictToo) {
    certutil_add(db_, printer_, "imported", ",,");
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    const auto added = store.add(record_of(printer_));
    EXPECT_EQ(added.code, store::nss::kConflict) << added.reason;
    EXPECT_EQ(certutil_trust(db_, "imported"), ",,");
}

TEST_F(NssStoreTest, FinishesAnEntryAnInterruptedAddLeftWithoutTrust) {
    const auto record = record_of(printer_);
    certutil_add(db_, printer_, record.nickname, ",,");  // certificate written, trust not yet
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    EXPECT_FALSE(store.contains(printer_.sha256));
    EXPECT_EQ(store.add(record).outcome, Outcome::Installed);
    EXPECT_EQ(certutil_trust(db_, record.nickname), "P,,");
}

TEST_F(NssStoreTest, RefusesBytesThatDoNotMatchTheFingerprint) {
    auto record = record_of(printer_);
    record.sha256 = make_certificate(shape("good", "127.0.0.1")).sha256;
    NssStore store(db_, TrustKind::TrustedPeer, "Chromium");
    EXPECT_EQ(store.add(record).code, "fingerprint_mismatch");
    EXPECT_EQ(certutil_list(db_).find("epos-trust"), std::string::npos);
}

TEST(NssStoreFailures, MissingDatabaseIsAFailureAndNothingIsCreated) {
    TempDir tmp;
    const fs::path empty = tmp / "empty";
    fs::create_directories(empty);
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    for (const fs::path& dir : {empty, tmp / "absent"}) {
        NssStore store(dir, TrustKind::TrustedPeer, "Chromium");
        const auto result = store.add(record_of(cert));
        EXPECT_EQ(result.outcome, Outcome::Failed);
        EXPECT_EQ(result.code, store::nss::kMissing);
        EXPECT_NE(result.reason.find("never creates"), std::string::npos) << result.reason;
        EXPECT_EQ(store.remove(cert.sha256).code, store::nss::kMissing);
        try {
            store.contains(cert.sha256);
            ADD_FAILURE() << "contains() on a missing database did not throw";
        } catch (const Failure& failure) {
            EXPECT_EQ(failure.code(), store::nss::kMissing);
        }
    }
    EXPECT_TRUE(fs::is_empty(empty));
    EXPECT_FALSE(fs::exists(tmp / "absent"));
}

TEST(NssStoreFailures, CorruptedDatabaseIsAFailureAndLeftAsItWas) {
    TempDir tmp;
    const fs::path db = tmp / "nssdb";
    make_nss_database(db);
    write_file(db / "cert9.db", std::string(8192, 'x'));
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    NssStore store(db, TrustKind::TrustedPeer, "Chromium");

    const auto result = store.add(record_of(cert));

    EXPECT_EQ(result.outcome, Outcome::Failed);
    EXPECT_EQ(result.code, store::nss::kCorrupt) << result.reason;
    std::ifstream in(db / "cert9.db", std::ios::binary);
    const std::string after((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(after, std::string(8192, 'x'));
}

TEST(NssStoreFailures, PasswordProtectedDatabaseIsAFailureWithAClearReason) {
    TempDir tmp;
    const fs::path db = tmp / "nssdb";
    fs::create_directories(db);
    write_file(tmp / "pw", "secret\n");
    ASSERT_EQ(shell("certutil -N -d sql:" + quoted(db) + " -f " + quoted(tmp / "pw")).status, 0);
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    const auto result = NssStore(db, TrustKind::Anchor, "Firefox").add(record_of(cert));
    EXPECT_EQ(result.code, store::nss::kPasswordProtected) << result.reason;
    EXPECT_EQ(certutil_list(db).find("epos-trust"), std::string::npos);
}

// Runs `body` in a child process as user nobody; returns what it wrote to the pipe.
template <typename Body>
std::string as_nobody(Body body) {
    int fds[2];
    if (::pipe(fds) != 0) {
        return "pipe failed";
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::string answer = "setuid failed";
        try {
            if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
                answer = body();
            }
        } catch (const std::exception& e) {
            answer = std::string("exception: ") + e.what();
        }
        [[maybe_unused]] auto written = ::write(fds[1], answer.data(), answer.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buffer[512];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) {
        out.append(buffer, static_cast<size_t>(n));
    }
    ::close(fds[0]);
    ::waitpid(pid, nullptr, 0);
    return out;
}

TEST(NssStoreFailures, ReadOnlyDatabaseIsAFailureAndUnchanged) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root to act as another user";  // CI runs as root
    }
    TempDir tmp;
    const fs::path db = tmp / "nssdb";
    make_nss_database(db);
    fs::permissions(tmp.path(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    // The database belongs to root; user nobody may read it and nothing more.
    for (const char* file : {"cert9.db", "key4.db", "pkcs11.txt"}) {
        fs::permissions(db / file, fs::perms::owner_read | fs::perms::owner_write |
                                       fs::perms::group_read | fs::perms::others_read);
    }
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    const std::string before = certutil_list(db);
    const std::string answer = as_nobody([&] {
        NssStore store(db, TrustKind::TrustedPeer, "Chromium");
        const auto result = store.add(record_of(cert));
        return result.code + "|" + (store.contains(cert.sha256) ? "present" : "absent");
    });
    EXPECT_EQ(answer, std::string(store::nss::kReadOnly) + "|absent");
    EXPECT_EQ(certutil_list(db), before);
}

// sqlite3 holding an exclusive lock on cert9.db, as a browser writing it would.
class SqliteLockHolder {
  public:
    explicit SqliteLockHolder(const fs::path& db_file) {
        int fds[2];
        if (::pipe(fds) != 0) {
            return;
        }
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(fds[0], STDIN_FILENO);
            ::close(fds[0]);
            ::close(fds[1]);
            const int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, STDOUT_FILENO);
            ::execlp("sqlite3", "sqlite3", db_file.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(fds[0]);
        input_ = fds[1];
        const std::string lock = "BEGIN EXCLUSIVE;\nSELECT count(*) FROM nssPublic;\n";
        [[maybe_unused]] auto written = ::write(input_, lock.data(), lock.size());
        // Wait until the lock is visible to other processes.
        for (int i = 0; i < 100 && !locked(db_file); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    ~SqliteLockHolder() {
        if (input_ >= 0) {
            ::close(input_);  // sqlite3 sees EOF, rolls back and exits
        }
        if (pid_ > 0) {
            ::waitpid(pid_, nullptr, 0);
        }
    }
    static bool locked(const fs::path& file) {
        const int fd = ::open(file.c_str(), O_RDONLY);
        struct flock probe {};
        probe.l_type = F_RDLCK;
        probe.l_whence = SEEK_SET;
        probe.l_start = 0x40000000;
        probe.l_len = 512;
        const bool held = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
        ::close(fd);
        return held;
    }

  private:
    pid_t pid_ = -1;
    int input_ = -1;
};

TEST(NssStoreFailures, UnreadableDatabaseIsAFailureNotACorruption) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root to act as another user";  // CI runs as root
    }
    TempDir tmp;
    const fs::path db = tmp / "nssdb";
    make_nss_database(db);  // certutil makes the files 0600: nobody cannot read them
    fs::permissions(tmp.path(),
                    fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(db, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    const std::string answer = as_nobody(
        [&] { return NssStore(db, TrustKind::TrustedPeer, "Chromium").add(record_of(cert)).code; });
    EXPECT_EQ(answer, store::nss::kUnreadable);
}

TEST(NssStoreFailures, LockedDatabaseIsAFailureThenWorksOnceReleased) {
    if (shell("command -v sqlite3").status != 0) {
        FAIL() << "sqlite3 (Debian package sqlite3) is needed to hold a database lock";
    }
    TempDir tmp;
    const fs::path db = tmp / "nssdb";
    make_nss_database(db);
    const auto cert = make_certificate(shape("good", "127.0.0.1"));
    NssStore store(db, TrustKind::TrustedPeer, "Chromium");
    {
        SqliteLockHolder lock(db / "cert9.db");
        ASSERT_TRUE(SqliteLockHolder::locked(db / "cert9.db"));
        const auto result = store.add(record_of(cert));
        EXPECT_EQ(result.outcome, Outcome::Failed);
        EXPECT_EQ(result.code, store::nss::kLocked) << result.reason;
    }
    EXPECT_EQ(certutil_list(db).find("epos-trust"), std::string::npos) << "half an entry left";
    EXPECT_EQ(store.add(record_of(cert)).outcome, Outcome::Installed);
    EXPECT_EQ(certutil_trust(db, record_of(cert).nickname), "P,,");
}

}  // namespace
}  // namespace epos::testing
