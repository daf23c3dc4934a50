#pragma once

#include <optional>
#include <string>

#include "ops/manifest_locations.hpp"

// Windows browsers find a manifest through a registry key (ManifestLocation::registry_key,
// HKCU for Scope::User, HKLM for Scope::System) whose default value is the manifest's path;
// elsewhere the file's own path is what a browser reads and a location has no key. One
// implementation per system (ops/windows/, ops/posix/), chosen by host/CMakeLists.txt.
namespace epos::ops {

// "HKCU\\Software\\...\\com.epos_trust.host", or "" when the location has no key.
std::string registry_name(const ManifestLocation& location, Scope scope);

// What the key names now; nullopt when there is no key (or the location needs none).
std::optional<std::string> registry_target(const ManifestLocation& location, Scope scope);

// Points the key at location.file. Throws Failure{"manifest_unwritable"} (access denied: run
// elevated for --system) or a registry Failure.
void point_registry_at(const ManifestLocation& location, Scope scope);

// Deletes the key when it names location.file (any other value is another install's, the MSI's
// for instance, and is left: "kept_foreign"). Returns "removed", "absent" or "kept_foreign".
std::string remove_registry_entry(const ManifestLocation& location, Scope scope);

}  // namespace epos::ops
