// Which databases serve which browser (docs/browser-behaviour.md §5), on a fake home and the real
// /proc.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "nss_test_helpers.hpp"
#include "store/locator.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;
using store::LocatorEnvironment;

// An empty cert9.db is enough for the locator, which never opens it.
fs::path fake_database(const fs::path& dir) {
    fs::create_directories(dir);
    write_file(dir / "cert9.db", "");
    return dir;
}

LocatorEnvironment env_for(const TempDir& home) {
    LocatorEnvironment env;
    env.home = home.path();
    return env;
}

TEST(ChromiumRule, XdgDatabaseWhenThereIsNoPkiFolder) {
    TempDir home;
    auto env = env_for(home);
    EXPECT_EQ(store::chromium_database(env), home / ".local/share/pki/nssdb");
    env.xdg_data_home = (home / "data").string();
    EXPECT_EQ(store::chromium_database(env), home / "data/pki/nssdb");
    env.xdg_data_home = "relative/data";  // invalid per XDG: ignored
    EXPECT_EQ(store::chromium_database(env), home / ".local/share/pki/nssdb");
}

TEST(ChromiumRule, PkiFolderWinsEvenWhenEmpty) {
    TempDir home;
    auto env = env_for(home);
    env.xdg_data_home = (home / "data").string();
    fake_database(home / "data/pki/nssdb");
    fs::create_directories(home / ".pki/nssdb");  // empty: Chromium still uses it
    EXPECT_EQ(store::chromium_database(env), home / ".pki/nssdb");
    // ... but a database that does not exist yet is not a store to write.
    EXPECT_TRUE(store::chromium_databases(env).empty());
}

TEST(ChromiumRule, SnapChromiumDatabaseToo) {
    TempDir home;
    fake_database(home / ".local/share/pki/nssdb");
    fake_database(home / "snap/chromium/current/.pki/nssdb");
    EXPECT_EQ(store::chromium_databases(env_for(home)),
              (std::vector<fs::path>{home / ".local/share/pki/nssdb",
                                     home / "snap/chromium/current/.pki/nssdb"}));
}

TEST(FirefoxProfiles, FoundUnderTheFourRootsOnlyWithADatabase) {
    TempDir home;
    const std::vector<fs::path> expected = {
        fake_database(home / ".mozilla/firefox/a.default"),
        fake_database(home / ".config/mozilla/firefox/b.default-esr"),
        fake_database(home / "snap/firefox/common/.mozilla/firefox/c.snap"),
        fake_database(home / ".var/app/org.mozilla.firefox/.mozilla/firefox/d.flat"),
    };
    fs::create_directories(home / ".mozilla/firefox/Crash Reports");  // no cert9.db
    EXPECT_EQ(store::firefox_profiles(env_for(home)), expected);
}

// A child process holding <profile>/cert9.db open, as Firefox does; optionally with a
// grandchild (the process whose parent is the browser).
class HoldsDatabaseOpen {
  public:
    HoldsDatabaseOpen(const fs::path& file, bool with_grandchild) {
        int ready[2];
        if (::pipe(ready) != 0) {
            return;
        }
        holder_ = ::fork();
        if (holder_ == 0) {
            ::close(ready[0]);
            const int fd = ::open(file.c_str(), O_RDONLY);
            if (with_grandchild) {
                if (::fork() == 0) {
                    ::close(fd);  // only the parent holds the database
                    // Ready only once the descriptor is closed: reporting the pid before the
                    // close let the test see the database open in the grandchild too (flaky).
                    const pid_t self = ::getpid();
                    [[maybe_unused]] auto n = ::write(ready[1], &self, sizeof self);
                    ::pause();
                    ::_exit(0);
                }
            } else {
                const pid_t self = ::getpid();
                [[maybe_unused]] auto n = ::write(ready[1], &self, sizeof self);
            }
            ::pause();
            ::_exit(fd >= 0 ? 0 : 1);
        }
        ::close(ready[1]);
        [[maybe_unused]] auto n = ::read(ready[0], &leaf_, sizeof leaf_);
        ::close(ready[0]);
    }
    ~HoldsDatabaseOpen() {
        if (leaf_ != holder_ && leaf_ > 0) {
            ::kill(leaf_, SIGKILL);
        }
        if (holder_ > 0) {
            ::kill(holder_, SIGKILL);
            ::waitpid(holder_, nullptr, 0);
        }
    }
    pid_t leaf() const { return leaf_; }

  private:
    pid_t holder_ = -1;
    pid_t leaf_ = -1;
};

TEST(FirefoxProfiles, CallingProfileFoundFromTheProcessHoldingItsDatabase) {
    TempDir home;
    const fs::path profile = fake_database(home / "somewhere/custom-profile");
    fake_database(home / ".mozilla/firefox/other.default");
    HoldsDatabaseOpen firefox(profile / "cert9.db", false);
    EXPECT_EQ(store::firefox_profile_of_process(firefox.leaf(), env_for(home)), profile);
}

TEST(FirefoxProfiles, CallingProfileFoundThroughAnAncestor) {
    TempDir home;
    const fs::path profile = fake_database(home / "p/xyz.default-release");
    HoldsDatabaseOpen firefox(profile / "cert9.db", true);
    EXPECT_EQ(store::firefox_profile_of_process(firefox.leaf(), env_for(home)), profile);
    EXPECT_EQ(store::firefox_profile_of_process(firefox.leaf(), env_for(home), 0), std::nullopt);
}

TEST(LocateStores, EachCallerGetsItsBrowsersStores) {
    TempDir home;
    const auto env = env_for(home);
    const fs::path chromium = fake_database(home / ".local/share/pki/nssdb");
    const fs::path ff1 = fake_database(home / ".mozilla/firefox/a.default");
    const fs::path ff2 = fake_database(home / ".mozilla/firefox/b.other");
    const fs::path custom = fake_database(home / "custom");

    Caller chrome{Caller::Family::Chrome, "chrome-extension://x/", 0};
    auto specs = store::locate_stores(chrome, {}, env);
    ASSERT_EQ(specs.size(), 1u);
    EXPECT_EQ(specs[0].location, chromium);
    EXPECT_EQ(specs[0].trust, store::TrustKind::TrustedPeer);
    EXPECT_EQ(specs[0].id(), "nss:" + chromium.string());

    // Firefox whose process cannot be found: every profile, as anchors.
    Caller firefox{Caller::Family::Firefox, "epos@x", 0};
    specs = store::locate_stores(firefox, {}, env);
    ASSERT_EQ(specs.size(), 2u);
    EXPECT_EQ(specs[0].location, ff1);
    EXPECT_EQ(specs[1].location, ff2);
    EXPECT_EQ(specs[0].trust, store::TrustKind::Anchor);

    // Firefox whose process holds a profile open: that profile only.
    HoldsDatabaseOpen running(custom / "cert9.db", false);
    firefox.parent_pid = running.leaf();
    specs = store::locate_stores(firefox, {}, env);
    ASSERT_EQ(specs.size(), 1u);
    EXPECT_EQ(specs[0].location, custom);

    // The command line: all of them, narrowed by the filter.
    Caller cli;
    EXPECT_EQ(store::locate_stores(cli, {}, env).size(), 3u);
    store::StoreFilter only_firefox;
    only_firefox.browser = Caller::Family::Firefox;
    EXPECT_EQ(store::locate_stores(cli, only_firefox, env).size(), 2u);
    store::StoreFilter by_id;
    by_id.ids = {"nss:" + ff2.string()};
    specs = store::locate_stores(cli, by_id, env);
    ASSERT_EQ(specs.size(), 1u);
    EXPECT_EQ(specs[0].location, ff2);
    // A Chrome caller never gets Firefox's stores, whatever the filter says.
    EXPECT_TRUE(store::locate_stores(chrome, only_firefox, env).empty());
}

TEST(LocateStores, NothingWhenNoBrowserHasMadeADatabase) {
    TempDir home;
    fs::create_directories(home / ".mozilla/firefox/empty-profile");
    EXPECT_TRUE(store::locate_stores(Caller{}, {}, env_for(home)).empty());
    EXPECT_FALSE(fs::exists(home / ".local/share/pki"));  // and nothing was created
}

}  // namespace
}  // namespace epos::testing
