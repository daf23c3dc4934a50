#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ops/manifest_locations.hpp"

namespace epos::ops {

// The absolute path of the running epos-trust binary (Linux /proc/self/exe, macOS
// _NSGetExecutablePath): what every manifest must name, since browsers resolve a relative
// "path" against their own folder, never ours. Throws Failure{"host_path_unknown"}.
std::filesystem::path this_executable();

// The flush module that belongs to the host at `host`: beside it, in the build tree's pkcs11/,
// or where the install layout puts it (lib/epos-trust). nullopt when none exists.
std::optional<std::filesystem::path> flush_module_for(const std::filesystem::path& host);

// The manifest text for one location: the template of manifests/ (embedded at build time, so the
// extension IDs are written once) with the absolute host or module path. Throws
// Failure{"bad_host_path"} for a relative path.
std::string render_manifest(const ManifestLocation& location, const std::filesystem::path& target);

struct RegisterRequest {
    Scope scope = Scope::User;
    InstallEnvironment env;
    std::filesystem::path host;                         // absolute, executable
    std::optional<std::filesystem::path> flush_module;  // none: no pkcs11 manifest
    std::vector<std::string> browsers;                  // empty: every browser
};

// What register or unregister did to one manifest (docs/protocol.md: the CLI's `--json`).
struct ManifestChange {
    std::string browser;
    ManifestKind kind = ManifestKind::Host;
    std::filesystem::path path;
    std::string action;           // "written" | "unchanged" | "removed" | "absent" | "kept_foreign"
    std::string registry;         // Windows: the key that names the manifest; "" elsewhere
    std::string registry_action;  // unregister on Windows: what became of that key
};

struct RegisterResult {
    Scope scope = Scope::User;
    std::filesystem::path host;
    std::optional<std::filesystem::path> flush_module;
    std::vector<ManifestChange> manifests;  // action "written" or "unchanged"
    std::vector<std::string> notes;
};

struct UnregisterResult {
    Scope scope = Scope::User;
    std::vector<ManifestChange> manifests;  // action "removed", "absent" or "kept_foreign"
};

// Writes every manifest of the request (atomically: temp file and rename; mode 0644; missing
// folders created). Throws Failure{"bad_host_path",
// "unknown_browser", "manifest_unwritable"}; a failure part-way leaves the files already
// written in place and names the one that failed.
RegisterResult register_host(const RegisterRequest& request);

// Removes the manifests of the request that are epos-trust's (their "name" is ours; any other
// file at that path is left alone and reported "kept_foreign"), then the folders this left
// empty that only epos-trust-like installs create (NativeMessagingHosts, pkcs11-modules).
UnregisterResult unregister_host(const RegisterRequest& request);

// The locations of the request's scope restricted to its browsers. Throws
// Failure{"unknown_browser"}.
std::vector<ManifestLocation> requested_locations(const RegisterRequest& request);

}  // namespace epos::ops
