#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/trust_store.hpp"
#include "util/caller.hpp"

namespace epos::store {

// Which browser a store serves and where it is: what the locator finds, before anything opens.
struct StoreSpec {
    StoreKind kind = StoreKind::Nss;
    std::filesystem::path location;
    TrustKind trust = TrustKind::TrustedPeer;
    Caller::Family browser = Caller::Family::Chrome;  // Cli for the system store
    std::string label;                                // "Chromium", "Firefox profile abc.default"

    std::string id() const { return std::string(to_string(kind)) + ":" + location.string(); }
};

// What the locator reads of the machine; a test points it at a fake home and /proc.
struct LocatorEnvironment {
    std::filesystem::path home;
    std::string xdg_data_home;  // empty when unset
    std::filesystem::path proc_root = "/proc";

    static LocatorEnvironment from_process();  // $HOME, $XDG_DATA_HOME, /proc
};

// Chromium's database on Linux (docs/browser-behaviour.md §5, measured with Chromium 156):
// ~/.pki/nssdb if that DIRECTORY exists, even empty, else
// ${XDG_DATA_HOME:-~/.local/share}/pki/nssdb. Whether the database is there yet is not checked
// here.
std::filesystem::path chromium_database(const LocatorEnvironment& env);

// Chromium's databases that exist (cert9.db present): the one above, and snap Chromium's
// ~/snap/chromium/current/.pki/nssdb (reported in docs/browser-behaviour.md §5).
std::vector<std::filesystem::path> chromium_databases(const LocatorEnvironment& env);

// Every Firefox profile folder holding a cert9.db under the four roots of docs/browser-behaviour.md
// §5:
// ~/.mozilla/firefox, ~/.config/mozilla/firefox (XDG, Firefox 153 with a fresh HOME), snap
// ~/snap/firefox/common/.mozilla/firefox, flatpak ~/.var/app/org.mozilla.firefox/.mozilla/firefox.
std::vector<std::filesystem::path> firefox_profiles(const LocatorEnvironment& env);

// The Firefox profile a process has open: the folder of a "cert9.db" among /proc/<pid>/fd's
// links, looking at `pid` and then up to `max_ancestors` of its ancestors (Firefox may start the
// host through a child; the host's parent is normally the browser itself, docs/browser-behaviour.md
// §4).
std::optional<std::filesystem::path> firefox_profile_of_process(int pid,
                                                                const LocatorEnvironment& env,
                                                                int max_ancestors = 4);

// Narrows what the locator returns (the CLI's --browser / --store options).
struct StoreFilter {
    std::optional<Caller::Family> browser;  // only stores serving this browser
    std::vector<std::string> ids;           // only these store ids (empty = all)
    bool system = false;                    // also the Linux system CA directory (root only)
    // Windows: "current_user_root" or "local_machine_trusted_people" (machine policy).
    std::string windows_store = "current_user_root";
};

// The stores that serve the caller, in order: Chromium's databases for a Chrome-family caller;
// for Firefox the calling profile (from the parent process), else every profile found; for the
// command line all of them. Only databases that exist: a database is never created.
std::vector<StoreSpec> locate_stores(const Caller& caller, const StoreFilter& filter,
                                     const LocatorEnvironment& env);

// Opens a located store. Throws Failure{"no_store"} for a kind this build cannot write.
std::unique_ptr<TrustStore> open_store(const StoreSpec& spec);

}  // namespace epos::store
