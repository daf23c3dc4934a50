#include "store/locator.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "store/system_ca_store.hpp"
#include "util/failure.hpp"

#ifdef EPOS_HAVE_NSS
#include "store/nss/nss_store.hpp"
#endif
#ifdef __APPLE__
#include "store/macos/keychain_store.hpp"
#endif
#ifdef _WIN32
#include "store/windows/windows_store.hpp"
#endif

namespace epos::store {
namespace fs = std::filesystem;
namespace {

bool is_existing_directory(const fs::path& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

bool has_database(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "cert9.db", ec);
}

// The parent pid from /proc/<pid>/stat: "pid (comm) state ppid ...", where comm may itself hold
// spaces and parentheses, so read after the LAST ')'.
int parent_of(int pid, const fs::path& proc_root) {
    std::ifstream in(proc_root / std::to_string(pid) / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return 0;
    }
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    int ppid = 0;
    rest >> state >> ppid;
    return ppid;
}

std::optional<fs::path> open_cert_db(int pid, const fs::path& proc_root) {
    std::error_code ec;
    fs::directory_iterator fds(proc_root / std::to_string(pid) / "fd", ec);
    if (ec) {
        return std::nullopt;
    }
    for (const auto& fd : fds) {
        const fs::path target = fs::read_symlink(fd.path(), ec);
        if (!ec && target.filename() == "cert9.db" && has_database(target.parent_path())) {
            return target.parent_path();
        }
    }
    return std::nullopt;
}

// Unused where the OS has one store for every browser (Windows, macOS).
[[maybe_unused]] std::string profile_label(const fs::path& profile) {
    return "Firefox profile " + profile.filename().string();
}

[[maybe_unused]] void add_unique(std::vector<StoreSpec>& specs, StoreSpec spec) {
    const bool seen = std::any_of(specs.begin(), specs.end(), [&](const StoreSpec& other) {
        std::error_code ec;
        return other.kind == spec.kind && fs::equivalent(other.location, spec.location, ec);
    });
    if (!seen) {
        specs.push_back(std::move(spec));
    }
}

}  // namespace

LocatorEnvironment LocatorEnvironment::from_process() {
    LocatorEnvironment env;
    if (const char* home = std::getenv("HOME")) {
        env.home = home;
    }
    if (const char* data = std::getenv("XDG_DATA_HOME")) {
        env.xdg_data_home = data;
    }
    return env;
}

fs::path chromium_database(const LocatorEnvironment& env) {
    const fs::path legacy = env.home / ".pki" / "nssdb";
    if (is_existing_directory(legacy)) {
        return legacy;
    }
    // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
    const fs::path data = !env.xdg_data_home.empty() && env.xdg_data_home[0] == '/'
                              ? fs::path(env.xdg_data_home)
                              : env.home / ".local" / "share";
    return data / "pki" / "nssdb";
}

std::vector<fs::path> chromium_databases(const LocatorEnvironment& env) {
    std::vector<fs::path> found;
    for (const fs::path& dir :
         {chromium_database(env), env.home / "snap" / "chromium" / "current" / ".pki" / "nssdb"}) {
        if (has_database(dir)) {
            found.push_back(dir);
        }
    }
    return found;
}

std::vector<fs::path> firefox_profiles(const LocatorEnvironment& env) {
    const fs::path roots[] = {
        env.home / ".mozilla" / "firefox",
        env.home / ".config" / "mozilla" / "firefox",
        env.home / "snap" / "firefox" / "common" / ".mozilla" / "firefox",
        env.home / ".var" / "app" / "org.mozilla.firefox" / ".mozilla" / "firefox",
    };
    std::vector<fs::path> found;
    for (const auto& root : roots) {
        std::error_code ec;
        std::vector<fs::path> here;
        for (const auto& entry : fs::directory_iterator(root, ec)) {
            if (has_database(entry.path())) {
                here.push_back(entry.path());
            }
        }
        std::sort(here.begin(), here.end());
        found.insert(found.end(), here.begin(), here.end());
    }
    return found;
}

std::optional<fs::path> firefox_profile_of_process(int pid, const LocatorEnvironment& env,
                                                   int max_ancestors) {
    for (int level = 0; pid > 1 && level <= max_ancestors; ++level) {
        if (auto profile = open_cert_db(pid, env.proc_root)) {
            return profile;
        }
        pid = parent_of(pid, env.proc_root);
    }
    return std::nullopt;
}

std::vector<StoreSpec> locate_stores(const Caller& caller, const StoreFilter& filter,
                                     const LocatorEnvironment& env) {
    using Family = Caller::Family;
    std::vector<StoreSpec> specs;
    const auto wanted = [&](Family browser) {
        return (caller.family == Family::Cli || caller.family == browser) &&
               (!filter.browser || *filter.browser == browser);
    };
#if defined(_WIN32)
    // Windows: one store serves Chrome and Firefox alike (docs/browser-behaviour.md §7), chosen by
    // machine policy. UNVERIFIED here: this branch is compiled only by a Windows build of the whole
    // host.
    (void)env;
    if (wanted(Family::Chrome) || wanted(Family::Firefox)) {
        if (filter.windows_store == "local_machine_trusted_people") {
            specs.push_back({StoreKind::Windows, "LocalMachine/TrustedPeople",
                             TrustKind::TrustedPeer, Family::Cli,
                             "Windows Trusted People (local machine)"});
        } else {
            specs.push_back({StoreKind::Windows, "CurrentUser/ROOT", TrustKind::Anchor, Family::Cli,
                             "Windows Trusted Root Certification Authorities (current user)"});
        }
    }
#elif defined(__APPLE__)
    // macOS: Chrome and Firefox (enterprise roots, on by default since 120) both read the login
    // keychain's trust settings (docs/browser-behaviour.md §7).
    if (wanted(Family::Chrome) || wanted(Family::Firefox)) {
        specs.push_back({StoreKind::Macos, env.home / "Library" / "Keychains" / "login.keychain-db",
                         TrustKind::Anchor, Family::Cli, "macOS login keychain"});
    }
#elif !defined(_WIN32)
    if (wanted(Family::Chrome)) {
        for (const auto& dir : chromium_databases(env)) {
            const bool snap = dir.string().find("/snap/chromium/") != std::string::npos;
            add_unique(specs, {StoreKind::Nss, dir, TrustKind::TrustedPeer, Family::Chrome,
                               snap ? "Chromium (snap)" : "Chrome/Chromium"});
        }
    }
    if (wanted(Family::Firefox)) {
        std::optional<fs::path> calling;
        if (caller.family == Family::Firefox && caller.parent_pid > 0) {
            calling = firefox_profile_of_process(caller.parent_pid, env);
        }
        const std::vector<fs::path> profiles =
            calling ? std::vector<fs::path>{*calling} : firefox_profiles(env);
        for (const auto& profile : profiles) {
            add_unique(specs, {StoreKind::Nss, profile, TrustKind::Anchor, Family::Firefox,
                               profile_label(profile)});
        }
    }
    if (filter.system) {
        specs.push_back(system_ca_spec());
    }
#endif
    if (!filter.ids.empty()) {
        std::erase_if(specs, [&](const StoreSpec& spec) {
            return std::find(filter.ids.begin(), filter.ids.end(), spec.id()) == filter.ids.end();
        });
    }
    return specs;
}

std::unique_ptr<TrustStore> open_store(const StoreSpec& spec) {
#ifdef EPOS_HAVE_NSS
    if (spec.kind == StoreKind::Nss) {
        return std::make_unique<nss::NssStore>(spec.location, spec.trust, spec.label);
    }
#endif
#ifdef __APPLE__
    if (spec.kind == StoreKind::Macos) {
        return std::make_unique<macos::KeychainStore>(spec.location);
    }
#endif
#ifdef _WIN32
    if (spec.kind == StoreKind::Windows) {
        return std::make_unique<windows::WindowsCertStore>(
            spec.location == "LocalMachine/TrustedPeople"
                ? windows::StoreLocation::local_machine_trusted_people()
                : windows::StoreLocation::current_user_root());
    }
#endif
    if (spec.kind == StoreKind::System) {
        return std::make_unique<SystemCaStore>(spec.location, spec.label);
    }
    throw Failure("no_store", "This build of epos-trust cannot write a \"" +
                                  std::string(to_string(spec.kind)) + "\" store (" +
                                  spec.location.string() + ").");
}

}  // namespace epos::store
