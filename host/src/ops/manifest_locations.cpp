#include "ops/manifest_locations.hpp"

#include <cstdlib>

#ifdef _WIN32
#include "store/windows/native_messaging_registry.hpp"
#endif

namespace epos::ops {
namespace {

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// Joins an absolute per-machine path below `root` ("/" leaves it unchanged).
// These three are unused on Windows, whose locations are registry-named files (below).
[[maybe_unused]] std::filesystem::path under_root(const std::filesystem::path& root,
                                                  const std::string& absolute) {
    return root / std::filesystem::path(absolute).relative_path();
}

std::string file_name(ManifestKind kind) {
    return std::string(kind == ManifestKind::Host ? kHostName : kFlushModuleName) + ".json";
}

[[maybe_unused]] ManifestLocation chrome_family(const char* browser, const char* label,
                                                const std::filesystem::path& dir) {
    return {browser, label, ManifestKind::Host, false, dir / file_name(ManifestKind::Host), {}};
}

[[maybe_unused]] void add_firefox(std::vector<ManifestLocation>& out,
                                  const std::filesystem::path& hosts_dir,
                                  const std::filesystem::path& modules_dir) {
    out.push_back({"firefox",
                   "Firefox",
                   ManifestKind::Host,
                   true,
                   hosts_dir / file_name(ManifestKind::Host),
                   {}});
    out.push_back({"firefox",
                   "Firefox",
                   ManifestKind::Pkcs11Module,
                   true,
                   modules_dir / file_name(ManifestKind::Pkcs11Module),
                   {}});
}

}  // namespace

const char* to_string(Scope scope) {
    return scope == Scope::User ? "user" : "system";
}

const char* to_string(ManifestKind kind) {
    return kind == ManifestKind::Host ? "host" : "pkcs11";
}

InstallEnvironment InstallEnvironment::from_process() {
    InstallEnvironment env;
    env.home = env_or_empty("HOME");
    env.xdg_config_home = env_or_empty("XDG_CONFIG_HOME");
    env.local_app_data = env_or_empty("LOCALAPPDATA");
    env.program_files = env_or_empty("ProgramFiles");
    return env;
}

std::vector<ManifestLocation> manifest_locations(Scope scope, const InstallEnvironment& env) {
    std::vector<ManifestLocation> out;
#if defined(__APPLE__)
    const auto base = scope == Scope::User ? env.home / "Library" / "Application Support"
                                           : under_root(env.root, "/Library");
    const auto support = scope == Scope::User ? base : base / "Application Support";
    const char* hosts = "NativeMessagingHosts";
    if (scope == Scope::User) {
        out.push_back(chrome_family("chrome", "Google Chrome", support / "Google/Chrome" / hosts));
    } else {
        out.push_back(chrome_family("chrome", "Google Chrome", base / "Google/Chrome" / hosts));
    }
    out.push_back(chrome_family("chromium", "Chromium", support / "Chromium" / hosts));
    if (scope == Scope::User) {
        out.push_back(chrome_family("edge", "Microsoft Edge", support / "Microsoft Edge" / hosts));
    } else {
        out.push_back(chrome_family("edge", "Microsoft Edge", base / "Microsoft/Edge" / hosts));
    }
    out.push_back(chrome_family("brave", "Brave", support / "BraveSoftware/Brave-Browser" / hosts));
    add_firefox(out, support / "Mozilla" / hosts, support / "Mozilla" / "PKCS11Modules");
#elif defined(_WIN32)
    const auto dir = (scope == Scope::User ? env.local_app_data : env.program_files) /
                     "epos-trust" / "NativeMessagingHosts";
    using store::windows::Browser;
    const auto windows = [&](Browser browser, const char* label) {
        const std::string name = store::windows::to_string(browser);
        ManifestLocation location{name,
                                  label,
                                  ManifestKind::Host,
                                  browser == Browser::Firefox,
                                  dir / (std::string(kHostName) + "." + name + ".json"),
                                  {}};
        location.registry_key = store::windows::native_messaging_key_path(browser, kHostName);
        out.push_back(location);
    };
    // Brave reads Chrome's key (store/windows/native_messaging_registry.hpp): no key of its own.
    windows(Browser::Chrome, "Google Chrome and Brave");
    windows(Browser::Chromium, "Chromium");
    windows(Browser::Edge, "Microsoft Edge");
    windows(Browser::Firefox, "Firefox");
#else
    if (scope == Scope::User) {
        const auto config = env.xdg_config_home.empty()
                                ? env.home / ".config"
                                : std::filesystem::path(env.xdg_config_home);
        const char* hosts = "NativeMessagingHosts";
        out.push_back(chrome_family("chrome", "Google Chrome", config / "google-chrome" / hosts));
        out.push_back(chrome_family("chromium", "Chromium", config / "chromium" / hosts));
        out.push_back(chrome_family("edge", "Microsoft Edge", config / "microsoft-edge" / hosts));
        out.push_back(
            chrome_family("brave", "Brave", config / "BraveSoftware" / "Brave-Browser" / hosts));
        add_firefox(out, env.home / ".mozilla" / "native-messaging-hosts",
                    env.home / ".mozilla" / "pkcs11-modules");
    } else {
        out.push_back(
            chrome_family("chrome", "Google Chrome and Brave",
                          under_root(env.root, "/etc/opt/chrome/native-messaging-hosts")));
        out.push_back(chrome_family("chromium", "Chromium",
                                    under_root(env.root, "/etc/chromium/native-messaging-hosts")));
        out.push_back(chrome_family("edge", "Microsoft Edge",
                                    under_root(env.root, "/etc/opt/edge/native-messaging-hosts")));
        add_firefox(out, under_root(env.root, "/usr/lib/mozilla/native-messaging-hosts"),
                    under_root(env.root, "/usr/lib/mozilla/pkcs11-modules"));
    }
#endif
    return out;
}

}  // namespace epos::ops
