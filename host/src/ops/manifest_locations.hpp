#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace epos::ops {

// Per user (the person's own browsers, no root needed) or per machine (packages, admins).
enum class Scope { User, System };
const char* to_string(Scope scope);  // "user", "system"

// The two kinds of manifest epos-trust installs: the native messaging host, and Firefox's
// manifest of the no-op PKCS#11 module that flushes its trust cache (docs/browser-behaviour.md §6).
enum class ManifestKind { Host, Pkcs11Module };
const char* to_string(ManifestKind kind);  // "host", "pkcs11"

// One file a browser reads to find epos-trust.
struct ManifestLocation {
    std::string browser;  // "chrome", "chromium", "edge", "brave", "firefox"
    std::string label;    // "Google Chrome"
    ManifestKind kind = ManifestKind::Host;
    bool firefox_format = false;  // allowed_extensions (Firefox) rather than allowed_origins
    std::filesystem::path file;   // absolute
    // Windows: the key (below HKCU for Scope::User, HKLM for Scope::System) whose default value
    // must name `file`, since browsers there look in the registry, not in folders
    // (store/windows/native_messaging_registry.hpp). Empty on other systems.
    std::string registry_key;
};

// What the locations depend on. `root` prefixes the per-machine paths: "/" on a real install, a
// scratch folder in tests and for package staging.
struct InstallEnvironment {
    std::filesystem::path home;
    std::string xdg_config_home;  // empty when unset
    std::filesystem::path root = "/";
    // Windows: %LOCALAPPDATA% (per-user manifests) and %ProgramFiles% (per-machine ones, a
    // folder only administrators can write). Empty elsewhere.
    std::filesystem::path local_app_data;
    std::filesystem::path program_files;

    static InstallEnvironment from_process();  // $HOME, $XDG_CONFIG_HOME, root "/"
};

// Every manifest file of `scope` on this OS, in the order chrome, chromium, edge, brave, firefox
// (host, then pkcs11). Linux (developer.chrome.com "Native messaging", MDN "Native manifests",
// docs/browser-behaviour.md §2):
//   user:   ${XDG_CONFIG_HOME:-~/.config}/{google-chrome,chromium,microsoft-edge,
//           BraveSoftware/Brave-Browser}/NativeMessagingHosts, ~/.mozilla/native-messaging-hosts,
//           ~/.mozilla/pkcs11-modules (never ~/.config/mozilla: Firefox does not read it there)
//   system: /etc/opt/chrome, /etc/chromium, /etc/opt/edge /native-messaging-hosts,
//           /usr/lib/mozilla/{native-messaging-hosts,pkcs11-modules}. Brave reads Chrome's
//           /etc/opt/chrome/native-messaging-hosts (brave-core PR 53; reported, no Brave here),
//           so it has no system file of its own.
// macOS: ~/Library/Application Support/<vendor dir>/NativeMessagingHosts and the /Library ones.
// Windows: the browsers read registry keys (HKCU per user, HKLM per machine) naming a manifest
// anywhere: epos-trust's are %LOCALAPPDATA%\epos-trust\NativeMessagingHosts\ (user) and
// %ProgramFiles%\epos-trust\NativeMessagingHosts\ (system), one file per browser
// (com.epos_trust.host.<browser>.json); none for Brave, which reads Chrome's key there; no pkcs11
// manifest (no Windows flush module yet).
std::vector<ManifestLocation> manifest_locations(Scope scope, const InstallEnvironment& env);

// The file name of each manifest: "com.epos_trust.host.json", "epos_trust_flush.json".
inline constexpr const char* kHostName = "com.epos_trust.host";
inline constexpr const char* kFlushModuleName = "epos_trust_flush";

}  // namespace epos::ops
