// The journal: what epos-trust installed, kept safe across crashes and concurrent hosts.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "nss_test_helpers.hpp"
#include "store/journal.hpp"
#include "util/failure.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;
using store::Journal;
using store::JournalEntry;

JournalEntry entry(const std::string& sha256, const std::string& store_id) {
    return {sha256,
            store_id,
            "nss",
            "/db",
            "trusted_peer",
            "epos-trust 127.0.0.1 ab",
            "127.0.0.1",
            "https://127.0.0.1",
            store::utc_timestamp_now(),
            {},
            ""};
}

TEST(Journal, MissingFileIsEmpty) {
    TempDir tmp;
    EXPECT_TRUE(Journal(tmp / "journal.json").read().empty());
}

TEST(Journal, UpdateWritesWhatReadGivesBack) {
    TempDir tmp;
    Journal journal(tmp / "state" / "journal.json");  // the folder is made on first write
    const auto first = entry(std::string(64, 'a'), "nss:/one");
    journal.update([&](std::vector<JournalEntry>& entries) {
        entries.push_back(first);
        return true;
    });
    ASSERT_EQ(journal.read(), std::vector<JournalEntry>{first});
    // A change that reports "nothing changed" is not written.
    journal.update([&](std::vector<JournalEntry>& entries) {
        entries.clear();
        return false;
    });
    EXPECT_EQ(journal.read().size(), 1u);
    // Nothing but the journal and its lock file is left in the folder (no temp files).
    std::vector<std::string> names;
    for (const auto& file : fs::directory_iterator(tmp / "state")) {
        names.push_back(file.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"journal.json", "journal.lock"}));
}

TEST(Journal, DamagedFileIsRefusedAndKept) {
    TempDir tmp;
    const fs::path file = tmp / "journal.json";
    for (const std::string text : {"{not json", "[]", R"({"version":1,"entries":[{"sha256":1}]})",
                                   R"({"version":9,"entries":[]})"}) {
        write_file(file, text);
        Journal journal(file);
        try {
            journal.update([](std::vector<JournalEntry>& entries) {
                entries.clear();
                return true;
            });
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Failure& failure) {
            EXPECT_EQ(failure.code(), "journal_corrupt") << text;
            EXPECT_NE(std::string(failure.what()).find("move it aside"), std::string::npos);
        }
        std::ifstream in(file);
        EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), text);
    }
}

TEST(Journal, UnwritableFolderIsAClearFailure) {
    TempDir tmp;
    write_file(tmp / "file", "x");
    Journal journal(tmp / "file" / "journal.json");  // its folder would be a file
    try {
        journal.update([](std::vector<JournalEntry>&) { return true; });
        ADD_FAILURE() << "no failure";
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "journal_unwritable");
    }
}

TEST(Journal, ConcurrentProcessesLoseNoEntry) {
    TempDir tmp;
    const fs::path file = tmp / "journal.json";
    constexpr int kProcesses = 20;
    std::vector<pid_t> children;
    for (int i = 0; i < kProcesses; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            try {
                Journal(file).update([&](std::vector<JournalEntry>& entries) {
                    entries.push_back(entry(std::string(64, 'a'), "nss:/" + std::to_string(i)));
                    return true;
                });
            } catch (...) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    EXPECT_EQ(Journal(file).read().size(), static_cast<size_t>(kProcesses));
}

TEST(Journal, PathHonoursTheStateDirectoryOverrides) {
    const char* saved_state = std::getenv("EPOS_TRUST_STATE_DIR");
    const std::string saved = saved_state != nullptr ? saved_state : "";
    ::setenv("EPOS_TRUST_STATE_DIR", "/tmp/epos-state", 1);
    EXPECT_EQ(store::default_journal_path(), fs::path("/tmp/epos-state/journal.json"));
    ::unsetenv("EPOS_TRUST_STATE_DIR");
    ::setenv("XDG_STATE_HOME", "/x/state", 1);
    EXPECT_EQ(store::default_journal_path(), fs::path("/x/state/epos-trust/journal.json"));
    ::setenv("XDG_STATE_HOME", "relative", 1);  // XDG: relative paths are ignored
    EXPECT_EQ(store::default_journal_path(),
              fs::path(std::getenv("HOME")) / ".local/state/epos-trust/journal.json");
    ::unsetenv("XDG_STATE_HOME");
    if (saved_state != nullptr) {
        ::setenv("EPOS_TRUST_STATE_DIR", saved.c_str(), 1);
    }
}

TEST(Journal, TimestampIsUtcIso8601) {
    const std::string now = store::utc_timestamp_now();
    ASSERT_EQ(now.size(), 20u);
    EXPECT_EQ(now[4], '-');
    EXPECT_EQ(now[10], 'T');
    EXPECT_EQ(now.back(), 'Z');
}

}  // namespace
}  // namespace epos::testing
