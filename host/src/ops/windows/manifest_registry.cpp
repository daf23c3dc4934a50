// ops/manifest_registry.hpp on Windows: the native messaging keys of
// store/windows/native_messaging_registry.hpp.
#include "ops/manifest_registry.hpp"

#include <algorithm>
#include <cctype>

#include "store/windows/native_messaging_registry.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

using store::windows::ManifestRegistration;
using store::windows::RegistryHive;

ManifestRegistration registration_of(const ManifestLocation& location, Scope scope) {
    return {scope == Scope::User ? RegistryHive::CurrentUser : RegistryHive::LocalMachine,
            location.registry_key};
}

// The registry holds UTF-8 converted to UTF-16 by RegistryKey; path::string() would give the
// ANSI code page.
std::string utf8_path(const std::filesystem::path& path) {
    const auto text = path.u8string();
    return {reinterpret_cast<const char*>(text.data()), text.size()};
}

// Windows paths compare without case.
bool same_path(std::string a, std::string b) {
    const auto lower = [](std::string& text) {
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    };
    lower(a);
    lower(b);
    return a == b;
}

}  // namespace

std::string registry_name(const ManifestLocation& location, Scope scope) {
    if (location.registry_key.empty()) {
        return "";
    }
    return std::string(scope == Scope::User ? "HKCU\\" : "HKLM\\") + location.registry_key;
}

std::optional<std::string> registry_target(const ManifestLocation& location, Scope scope) {
    if (location.registry_key.empty()) {
        return std::nullopt;
    }
    return store::windows::read_registration(registration_of(location, scope));
}

void point_registry_at(const ManifestLocation& location, Scope scope) {
    if (location.registry_key.empty()) {
        return;
    }
    try {
        store::windows::write_registration(registration_of(location, scope),
                                           utf8_path(location.file));
    } catch (const Failure& failure) {
        if (failure.code() == store::windows::kRegistryAccessDenied) {
            throw Failure("manifest_unwritable",
                          "Cannot write " + registry_name(location, scope) +
                              (scope == Scope::System ? " (--system needs an elevated prompt)."
                                                      : ": access denied."));
        }
        throw;
    }
}

std::string remove_registry_entry(const ManifestLocation& location, Scope scope) {
    const auto target = registry_target(location, scope);
    if (!target) {
        return "absent";
    }
    if (!same_path(*target, utf8_path(location.file))) {
        return "kept_foreign";
    }
    store::windows::remove_registration(registration_of(location, scope));
    return "removed";
}

}  // namespace epos::ops
