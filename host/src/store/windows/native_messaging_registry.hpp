#pragma once

// Where each browser on Windows looks for a native messaging host: not a file path as on Linux
// and macOS but a registry key whose default value is the manifest's path
// (docs/browser-behaviour.md §4; developer.chrome.com "Native messaging", MDN "Native
// manifests"). Used by `epos-trust register/unregister/doctor`; the MSI writes
// the same HKLM keys itself (installers/windows/epos-trust.wxs).

#include <optional>
#include <string>
#include <vector>

#include "store/windows/registry_key.hpp"

namespace epos::store::windows {

// No Brave: on Windows it reads Chrome's key (below), not one of its own.
enum class Browser { Chrome, Chromium, Edge, Firefox };

const char* to_string(Browser browser);  // "chrome", "chromium", "edge", "firefox"
std::vector<Browser> all_browsers();

// The registry key (below HKCU or HKLM) that names the manifest of host `host_name`:
//   Chrome    Software\Google\Chrome\NativeMessagingHosts\<name>  (also Brave's: Chromium's
//             launch_context_win.cc reads only this key and, in builds without Google's
//             branding, Chromium's before it; brave-core overrides neither, and KeePassXC
//             registers Brave here too. No browser reads a NativeMessagingHosts key below
//             Software\BraveSoftware. Read from the sources; no Brave runs here)
//   Chromium  Software\Chromium\NativeMessagingHosts\<name>  (then Chrome's)
//   Edge      Software\Microsoft\Edge\NativeMessagingHosts\<name>  (Edge also reads Chrome's)
//   Firefox   Software\Mozilla\NativeMessagingHosts\<name>
// Throws Failure{"bad_host_name"} for a name Chrome would refuse (lowercase letters, digits,
// '_' and '.', no leading, trailing or double dot).
std::string native_messaging_key_path(Browser browser, const std::string& host_name);

// Firefox's manifest of a PKCS#11 module (type "pkcs11", the trust-cache flush of
// docs/browser-behaviour.md §6):
//   Software\Mozilla\PKCS11Modules\<name>
std::string firefox_pkcs11_module_key_path(const std::string& module_name);

// One registration: a key in a hive whose default value is the manifest path.
struct ManifestRegistration {
    RegistryHive hive = RegistryHive::CurrentUser;
    std::string key_path;
};

// Points the key at `manifest_path`, which must be absolute ("C:\..." or "\\server\share\...":
// a relative default value is resolved against the browser's own folder, never ours).
// Throws Failure{"bad_manifest_path"} or a registry Failure.
void write_registration(const ManifestRegistration& registration, const std::string& manifest_path);

// The manifest path the key names now, nullopt if the key or its default value is missing.
std::optional<std::string> read_registration(const ManifestRegistration& registration);

// Deletes exactly that key (never its NativeMessagingHosts parent or a sibling host's key);
// false if it was not there.
bool remove_registration(const ManifestRegistration& registration);

}  // namespace epos::store::windows
