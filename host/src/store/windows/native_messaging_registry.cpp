#include "store/windows/native_messaging_registry.hpp"

#include "util/failure.hpp"

namespace epos::store::windows {

namespace {

// Chrome's rule for a host name (native_messaging_host_manifest.cc IsValidName), which is
// also safe as a single registry key name: no '\' can reach the path.
void require_valid_name(const std::string& name, const char* what) {
    bool valid = !name.empty() && name.front() != '.' && name.back() != '.';
    for (size_t i = 0; valid && i < name.size(); ++i) {
        const char c = name[i];
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                             (c == '.' && name[i + 1] != '.');
        valid = allowed;
    }
    if (!valid) {
        throw Failure{"bad_host_name", std::string("\"") + name + "\" is not a valid " + what +
                                           " name (lowercase letters, digits, '_' and '.')."};
    }
}

bool is_absolute_windows_path(const std::string& path) {
    const bool drive = path.size() >= 3 &&
                       ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) &&
                       path[1] == ':' && path[2] == '\\';
    const bool unc = path.size() >= 3 && path[0] == '\\' && path[1] == '\\' && path[2] != '\\';
    return drive || unc;
}

}  // namespace

const char* to_string(Browser browser) {
    switch (browser) {
        case Browser::Chrome:
            return "chrome";
        case Browser::Chromium:
            return "chromium";
        case Browser::Edge:
            return "edge";
        case Browser::Firefox:
            return "firefox";
    }
    return "chrome";
}

std::vector<Browser> all_browsers() {
    return {Browser::Chrome, Browser::Chromium, Browser::Edge, Browser::Firefox};
}

std::string native_messaging_key_path(Browser browser, const std::string& host_name) {
    require_valid_name(host_name, "native messaging host");
    const char* base = "";
    switch (browser) {
        case Browser::Chrome:
            base = "Software\\Google\\Chrome";
            break;
        case Browser::Chromium:
            base = "Software\\Chromium";
            break;
        case Browser::Edge:
            base = "Software\\Microsoft\\Edge";
            break;
        case Browser::Firefox:
            base = "Software\\Mozilla";
            break;
    }
    return std::string(base) + "\\NativeMessagingHosts\\" + host_name;
}

std::string firefox_pkcs11_module_key_path(const std::string& module_name) {
    require_valid_name(module_name, "PKCS#11 module");
    return "Software\\Mozilla\\PKCS11Modules\\" + module_name;
}

void write_registration(const ManifestRegistration& registration,
                        const std::string& manifest_path) {
    if (!is_absolute_windows_path(manifest_path)) {
        throw Failure{"bad_manifest_path",
                      "The manifest path must be absolute (C:\\...): " + manifest_path};
    }
    RegistryKey::create(registration.hive, registration.key_path)
        .set_string_value("", manifest_path);
}

std::optional<std::string> read_registration(const ManifestRegistration& registration) {
    const auto key = RegistryKey::open(registration.hive, registration.key_path);
    if (!key) {
        return std::nullopt;
    }
    return key->string_value("");
}

bool remove_registration(const ManifestRegistration& registration) {
    return RegistryKey::remove_tree(registration.hive, registration.key_path);
}

}  // namespace epos::store::windows
