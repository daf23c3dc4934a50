// The journal (host/src/store/journal.cpp, written portably by the store engineer) on Windows
// for real, under wine: its _WIN32 branches (LockFileEx, MoveFileExW over the old journal,
// %LOCALAPPDATA%) are only ever compiled and run here.

#include <gtest/gtest.h>

#include <windows.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store/journal.hpp"
#include "util/failure.hpp"

namespace {

namespace fs = std::filesystem;
using epos::store::Journal;
using epos::store::JournalEntry;

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("epos-journal-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

JournalEntry entry(int n) {
    const std::string hex = std::to_string(1000 + n);
    return JournalEntry{std::string(60, 'a') + hex,
                        "windows:CurrentUser/ROOT",
                        "windows",
                        "CurrentUser/ROOT",
                        "anchor",
                        "epos-trust 127.0.0.1 " + hex,
                        "127.0.0.1",
                        "https://127.0.0.1:" + std::to_string(8000 + n),
                        "2025-01-31T12:00:00Z",
                        {},
                        {}};
}

TEST(JournalOnWindows, DefaultPathIsUnderLocalAppData) {
    _putenv_s("EPOS_TRUST_STATE_DIR", "");
    _putenv_s("LOCALAPPDATA", "C:\\Users\\test\\AppData\\Local");
    EXPECT_EQ(epos::store::default_journal_path(),
              fs::path("C:\\Users\\test\\AppData\\Local") / "epos-trust" / "journal.json");
}

TEST(JournalOnWindows, WritesAndReadsBackAndReplacesTheOldFile) {
    Journal journal(fresh_dir("roundtrip") / "sub" / "journal.json");
    EXPECT_TRUE(journal.read().empty());
    journal.update([](std::vector<JournalEntry>& entries) {
        entries.push_back(entry(1));
        return true;
    });
    journal.update([](std::vector<JournalEntry>& entries) {
        entries.push_back(entry(2));
        return true;
    });
    const auto entries = journal.read();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0], entry(1));
    EXPECT_EQ(entries[1], entry(2));
    // No temporary file left beside it.
    int files = 0;
    for (const auto& item : fs::directory_iterator(journal.path().parent_path())) {
        files += item.path().filename() != "journal.lock" ? 1 : 0;
    }
    EXPECT_EQ(files, 1);
}

TEST(JournalOnWindows, ConcurrentUpdatesLoseNothing) {
    const fs::path file = fresh_dir("concurrent") / "journal.json";
    constexpr int kThreads = 6;
    constexpr int kEach = 5;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // A Journal of its own per thread: its own lock-file handle, as another host
            // process would have (LockFileEx locks per handle).
            Journal journal(file);
            for (int i = 0; i < kEach; ++i) {
                try {
                    journal.update([&](std::vector<JournalEntry>& entries) {
                        entries.push_back(entry(t * kEach + i));
                        return true;
                    });
                } catch (const epos::Failure&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(Journal(file).read().size(), static_cast<size_t>(kThreads * kEach));
}

// A `list` reading the journal while a `trust` replaces it: on Windows a file opened without
// FILE_SHARE_DELETE cannot be replaced by MoveFileExW, unlike a POSIX rename.
// Before journal.cpp opened with full sharing and retried briefly, 25 of 40 updates failed
// under wine with journal_unwritable "cannot replace the journal".
TEST(JournalOnWindows, AReaderDoesNotMakeAWriterFail) {
    const fs::path file = fresh_dir("reader") / "journal.json";
    Journal writer(file);
    writer.update([](std::vector<JournalEntry>& entries) {
        entries.push_back(entry(0));
        return true;
    });
    std::atomic<bool> done{false};
    std::atomic<int> read_failures{0};
    std::thread reader([&] {
        Journal journal(file);
        while (!done) {
            try {
                journal.read();
            } catch (const epos::Failure&) {
                ++read_failures;
            }
        }
    });
    int write_failures = 0;
    std::string first_error;
    for (int i = 1; i <= 40; ++i) {
        try {
            writer.update([&](std::vector<JournalEntry>& entries) {
                entries.push_back(entry(i));
                return true;
            });
        } catch (const epos::Failure& failure) {
            if (write_failures++ == 0) {
                first_error = failure.what();
            }
        }
    }
    done = true;
    reader.join();
    EXPECT_EQ(write_failures, 0) << first_error;
    EXPECT_EQ(read_failures.load(), 0);
    EXPECT_EQ(writer.read().size(), 41u - static_cast<size_t>(write_failures));
}

TEST(JournalOnWindows, ADamagedJournalIsReportedAndLeftAlone) {
    const fs::path file = fresh_dir("damaged") / "journal.json";
    {
        std::ofstream out(file, std::ios::binary);
        out << "{ not json";
    }
    Journal journal(file);
    try {
        journal.read();
        ADD_FAILURE() << "a damaged journal was read";
    } catch (const epos::Failure& failure) {
        EXPECT_EQ(failure.code(), "journal_corrupt");
    }
    EXPECT_THROW(journal.update([](std::vector<JournalEntry>&) { return true; }), epos::Failure);
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "{ not json");
}

}  // namespace
