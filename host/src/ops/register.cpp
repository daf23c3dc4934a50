#include "ops/register.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#elif defined(_WIN32)
#include <windows.h>
#endif

#include "ops/manifest_registry.hpp"
#include "ops/manifest_templates.hpp"
#include "store/files.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace fs = std::filesystem;

namespace {

const std::vector<std::string>& known_browsers() {
    static const std::vector<std::string> names = {"chrome", "chromium", "edge", "brave",
                                                   "firefox"};
    return names;
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Temp file beside the target, flushed, then renamed (store/files.hpp): a browser starting
// meanwhile, or a crash, finds the old manifest or the new one, never half of one.
void write_atomically(const fs::path& file, const std::string& text) {
    std::error_code error;
    fs::create_directories(file.parent_path(), error);
    if (error) {
        throw Failure("manifest_unwritable",
                      "Cannot write " + file.string() +
                          " (run with sudo for --system, or check the folder's owner).");
    }
    try {
        // Browsers read the manifests as the person, root's system-wide ones included.
        store::files::replace_atomically(file, text, store::files::Readers::Everyone);
    } catch (const std::system_error& e) {
        if (e.code() == std::errc::permission_denied ||
            e.code() == std::errc::operation_not_permitted ||
            e.code() == std::errc::read_only_file_system) {
            throw Failure("manifest_unwritable",
                          "Cannot write " + file.string() +
                              " (run with sudo for --system, or check the folder's owner).");
        }
        throw Failure("manifest_unwritable",
                      "Cannot write " + file.string() + ": " + e.code().message() + ".");
    }
}

// Whether the file at `file` is one of epos-trust's manifests (by its "name"), so that
// unregister never deletes another product's file that happens to share the path.
bool is_ours(const fs::path& file) {
    const auto doc = nlohmann::json::parse(read_file(file), nullptr, false);
    if (!doc.is_object() || !doc.contains("name") || !doc["name"].is_string()) {
        return false;
    }
    const auto name = doc["name"].get<std::string>();
    return name == kHostName || name == kFlushModuleName;
}

// After a per-user removal: the folders register created for a browser that had none
// (~/.config/google-chrome/NativeMessagingHosts...) go again when empty, up to the config
// folder or home. Per-machine folders are left alone: packages may own them.
void remove_empty_folders(fs::path dir, const InstallEnvironment& env) {
    const auto config =
        env.xdg_config_home.empty() ? env.home / ".config" : fs::path(env.xdg_config_home);
    std::error_code error;
    while (!dir.empty() && dir != env.home && dir != config && dir != env.local_app_data &&
           dir != dir.root_path() && fs::is_directory(dir, error) && fs::is_empty(dir, error)) {
        fs::remove(dir, error);
        if (error) {
            return;
        }
        dir = dir.parent_path();
    }
}

}  // namespace

fs::path this_executable() {
    std::error_code error;
#if defined(__APPLE__)
    uint32_t size = 0;
    _NSGetExecutablePath(nullptr, &size);
    std::string buffer(size, '\0');
    if (_NSGetExecutablePath(buffer.data(), &size) == 0) {
        return fs::weakly_canonical(fs::path(buffer.c_str()), error);
    }
#elif defined(_WIN32)
    std::wstring buffer(32768, L'\0');
    const DWORD length =
        GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (length > 0 && length < buffer.size()) {
        buffer.resize(length);
        return fs::path(buffer);
    }
#else
    const auto path = fs::read_symlink("/proc/self/exe", error);
    if (!error) {
        return path;
    }
#endif
    throw Failure("host_path_unknown",
                  "Cannot tell where this epos-trust binary is; pass --host-path.");
}

std::optional<fs::path> flush_module_for(const fs::path& host) {
    const auto dir = host.parent_path();
    const std::vector<fs::path> candidates = {
        dir / templates::kFlushFileName,
        dir / "pkcs11" / templates::kFlushFileName,  // the build tree: host/ and host/pkcs11/
        dir / templates::kFlushFromHost / templates::kFlushFileName,
    };
    std::error_code error;
    for (const auto& candidate : candidates) {
        if (fs::is_regular_file(candidate, error)) {
            return fs::weakly_canonical(candidate, error);
        }
    }
    return std::nullopt;
}

std::string render_manifest(const ManifestLocation& location, const fs::path& target) {
    if (!target.is_absolute()) {
        throw Failure("bad_host_path",
                      "The path in a manifest must be absolute (browsers resolve "
                      "a relative one against their own folder): " +
                          target.string());
    }
    std::string text = location.kind == ManifestKind::Pkcs11Module ? templates::kFlushModule
                       : location.firefox_format                   ? templates::kFirefoxHost
                                                                   : templates::kChromeHost;
    const std::string placeholder = location.kind == ManifestKind::Pkcs11Module
                                        ? "@EPOS_FLUSH_MODULE_PATH@"
                                        : "@EPOS_HOST_PATH@";
    // JSON-escape the path (a quote or backslash in a folder name must not break the file).
    const auto escaped = nlohmann::json(target.string()).dump();
    const auto at = text.find(placeholder);
    if (at == std::string::npos) {
        throw Failure("internal", "manifest template without " + placeholder);
    }
    text.replace(at, placeholder.size(), escaped.substr(1, escaped.size() - 2));
    // ordered_json: keep the template's key order, so the file reads like manifests/.
    return nlohmann::ordered_json::parse(text).dump(2) + "\n";
}

std::vector<ManifestLocation> requested_locations(const RegisterRequest& request) {
    for (const auto& browser : request.browsers) {
        if (std::find(known_browsers().begin(), known_browsers().end(), browser) ==
            known_browsers().end()) {
            throw Failure("unknown_browser", "Unknown browser \"" + browser +
                                                 "\" (use chrome, chromium, edge, brave, "
                                                 "firefox).");
        }
    }
    std::vector<ManifestLocation> out;
    for (const auto& location : manifest_locations(request.scope, request.env)) {
        if (request.browsers.empty() || std::find(request.browsers.begin(), request.browsers.end(),
                                                  location.browser) != request.browsers.end()) {
            out.push_back(location);
        }
    }
    return out;
}

RegisterResult register_host(const RegisterRequest& request) {
    std::error_code error;
    if (!request.host.is_absolute() || !fs::is_regular_file(request.host, error)) {
        throw Failure("bad_host_path",
                      "The host must be an existing file named by an absolute "
                      "path: " +
                          request.host.string());
    }
    RegisterResult result{request.scope, request.host, request.flush_module, {}, {}};
    for (const auto& location : requested_locations(request)) {
        if (location.kind == ManifestKind::Pkcs11Module && !request.flush_module) {
            result.notes.push_back(
                "No flush module (" + std::string(templates::kFlushFileName) +
                ") was found: Firefox will need a restart after a first failure.");
            continue;
        }
        const auto text = render_manifest(
            location, location.kind == ManifestKind::Host ? request.host : *request.flush_module);
        const bool same =
            fs::is_regular_file(location.file, error) && read_file(location.file) == text;
        if (!location.file.is_absolute()) {
            throw Failure("manifest_unwritable",
                          "No folder for the " + location.label +
                              " manifest (LOCALAPPDATA or ProgramFiles is not set).");
        }
        if (!same) {
            write_atomically(location.file, text);
        }
        // Windows: the browser finds the file through a registry key, written after the file
        // so that it never names a manifest that is not there yet.
        bool key_same = true;
        if (!location.registry_key.empty()) {
            const auto target = registry_target(location, request.scope);
            key_same = target && *target == location.file.string();
            if (!key_same) {
                point_registry_at(location, request.scope);
            }
        }
        ManifestChange change{location.browser,
                              location.kind,
                              location.file,
                              same && key_same ? "unchanged" : "written",
                              {},
                              {}};
        if (!location.registry_key.empty()) {
            change.registry = registry_name(location, request.scope);
        }
        result.manifests.push_back(std::move(change));
    }
    return result;
}

UnregisterResult unregister_host(const RegisterRequest& request) {
    UnregisterResult result{request.scope, {}};
    for (const auto& location : requested_locations(request)) {
        std::error_code error;
        std::string action = "absent";
        // Windows: the key first, so that no browser is left pointed at a removed file.
        std::string registry_action;
        if (!location.registry_key.empty()) {
            registry_action = remove_registry_entry(location, request.scope);
        }
        if (fs::exists(fs::symlink_status(location.file, error))) {
            if (!is_ours(location.file)) {
                action = "kept_foreign";
            } else if (fs::remove(location.file, error); error) {
                throw Failure("manifest_unwritable", "Cannot remove " + location.file.string() +
                                                         ": " + error.message() + ".");
            } else {
                action = "removed";
                if (request.scope == Scope::User) {
                    remove_empty_folders(location.file.parent_path(), request.env);
                }
            }
        }
        ManifestChange change{location.browser, location.kind, location.file, action, {}, {}};
        if (!location.registry_key.empty()) {
            change.registry = registry_name(location, request.scope);
            change.registry_action = registry_action;
        }
        result.manifests.push_back(std::move(change));
    }
    return result;
}

}  // namespace epos::ops
