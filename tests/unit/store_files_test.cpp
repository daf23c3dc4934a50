// store/files.hpp: the lock and the atomic replace the journal and register's manifests rely on.
#include "store/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "nss_test_helpers.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;
namespace files = store::files;

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& file : fs::directory_iterator(dir)) {
        names.push_back(file.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

TEST(StoreFiles, ReplaceWritesTheBytesWithTheReadersAsked) {
    TempDir tmp;
    const fs::path file = tmp / "state.json";
    EXPECT_FALSE(files::read_whole(file));
    files::replace_atomically(file, "first", files::Readers::OwnerOnly);
    EXPECT_EQ(files::read_whole(file), "first");
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    files::replace_atomically(file, std::string("a\0b", 3), files::Readers::Everyone);
    EXPECT_EQ(files::read_whole(file), std::string("a\0b", 3));
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0644u);
    EXPECT_EQ(names_in(tmp.path()), std::vector<std::string>{"state.json"});  // no temp file left
}

// A process killed between writing the temporary file and renaming it: the old file is intact.
TEST(StoreFiles, ACrashBeforeTheRenameLeavesTheOldFile) {
    TempDir tmp;
    const fs::path file = tmp / "journal.json";
    files::replace_atomically(file, "old", files::Readers::OwnerOnly);
    const pid_t pid = ::fork();
    if (pid == 0) {
        try {
            files::replace_atomically(file, "new and longer", files::Readers::OwnerOnly,
                                      [] { ::_exit(0); });  // the crash: no unwinding, no rename
        } catch (...) {
        }
        ::_exit(3);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the hook did not run";
    EXPECT_EQ(files::read_whole(file), "old");
    // The temporary file was complete on the disk beside it (so the rename was the only step
    // left); the next replace still works.
    const auto names = names_in(tmp.path());
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(files::read_whole(tmp / names[1]), "new and longer");
    files::replace_atomically(file, "next", files::Readers::OwnerOnly);
    EXPECT_EQ(files::read_whole(file), "next");
}

TEST(StoreFiles, AFailedReplaceLeavesTheTargetAndNoTemporaryFile) {
    TempDir tmp;
    const fs::path file = tmp / "manifest.json";
    files::replace_atomically(file, "old", files::Readers::Everyone);
    fs::create_directory(tmp / "blocker");
    // A folder cannot be replaced by a file: the rename fails after the temp file was written.
    EXPECT_THROW(files::replace_atomically(tmp / "blocker", "x", files::Readers::Everyone),
                 std::system_error);
    EXPECT_EQ(names_in(tmp.path()), (std::vector<std::string>{"blocker", "manifest.json"}));
    EXPECT_EQ(files::read_whole(file), "old");
    // No folder at all: the temp file cannot be created.
    try {
        files::replace_atomically(tmp / "missing" / "x.json", "x", files::Readers::Everyone);
        ADD_FAILURE() << "no failure";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
    }
}

// flock: a second holder (another open of the same file, as another process or thread makes)
// waits until the first lets go.
TEST(StoreFiles, TheLockExcludesASecondHolder) {
    TempDir tmp;
    const fs::path lock_file = tmp / "journal.lock";
    std::atomic<bool> second_has_it{false};
    std::thread second;
    {
        files::ExclusiveLock first(lock_file);
        second = std::thread([&] {
            files::ExclusiveLock again(lock_file);
            second_has_it = true;
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        EXPECT_FALSE(second_has_it.load()) << "two holders at once";
    }
    second.join();
    EXPECT_TRUE(second_has_it.load());
    EXPECT_TRUE(fs::exists(lock_file));  // never deleted

    // And across processes: a child cannot take it while this process holds it.
    files::ExclusiveLock held(lock_file);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(lock_file.c_str(), O_RDWR);
        ::_exit(::flock(fd, LOCK_EX | LOCK_NB) == 0 ? 1 : 0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the child got the lock";
}

TEST(StoreFiles, TheLockFileCannotBeMadeIsASystemError) {
    TempDir tmp;
    EXPECT_THROW(files::ExclusiveLock(tmp / "missing" / "journal.lock"), std::system_error);
}

TEST(StoreFiles, UserStateFolderFollowsXdg) {
    const char* saved_state = std::getenv("XDG_STATE_HOME");
    const std::string state = saved_state != nullptr ? saved_state : "";
    ::setenv("XDG_STATE_HOME", "/srv/state", 1);
    EXPECT_EQ(files::user_state_folder(), fs::path("/srv/state"));
    ::setenv("XDG_STATE_HOME", "relative", 1);  // ignored, as the specification says
    EXPECT_EQ(files::user_state_folder(), fs::path(std::getenv("HOME")) / ".local" / "state");
    if (saved_state != nullptr) {
        ::setenv("XDG_STATE_HOME", state.c_str(), 1);
    } else {
        ::unsetenv("XDG_STATE_HOME");
    }
}

}  // namespace
}  // namespace epos::testing
