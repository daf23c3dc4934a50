#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ops/context.hpp"
#include "ops/list.hpp"
#include "ops/manifest_locations.hpp"
#include "store/journal.hpp"
#include "store/locator.hpp"

namespace epos::ops {

// What doctor looks at; tests point it at a fake home, root and PATH.
struct DoctorEnvironment {
    InstallEnvironment install;
    store::LocatorEnvironment locator;
    std::string path_variable;   // $PATH, to find the browsers' executables
    std::filesystem::path host;  // the binary every manifest should name
    std::filesystem::path journal;

    static DoctorEnvironment from_process();
};

// The state of one manifest file, as a browser would find it.
//   "ok"               ours, names `expected_target`, and allows the extension
//   "missing"          no file
//   "points_elsewhere" ours and valid, but names another existing binary (another install)
//   "broken"           names a file that does not exist
//   "wrong_extension"  does not allow epos-trust's extension (Chrome ID / Firefox add-on id)
//   "invalid"          not JSON, or not epos-trust's manifest
struct ManifestCheck {
    std::string state;
    std::string points_to;  // the "path" in the file, when there is one
};
ManifestCheck check_manifest(const ManifestLocation& location,
                             const std::filesystem::path& expected_target);

// One manifest a browser would read, and its state.
struct ManifestReport {
    Scope scope;
    ManifestKind kind;
    std::filesystem::path path;
    ManifestCheck check;
};

// One browser doctor knows of.
struct BrowserReport {
    std::string id;     // "chrome", "chromium", "edge", "brave", "firefox"
    std::string label;  // "Google Chrome"
    std::optional<std::filesystem::path> executable;  // on $PATH; nullopt: not installed
    bool host_reachable = false;                      // some host manifest of it works
    std::vector<ManifestReport> manifests;
    std::optional<bool> flush_module_registered;  // Firefox only

    bool installed() const { return executable.has_value(); }
};

// A browser certificate database found.
struct DatabaseReport {
    std::string browser;  // "chromium", "firefox"
    std::filesystem::path path;
};

// What `epos-trust doctor` found (docs/admin.md, section 7; `--json` is this object).
struct DoctorReport {
    std::filesystem::path host;          // the binary every manifest should name
    std::filesystem::path flush_module;  // "" when not found
    std::vector<BrowserReport> browsers;
    std::vector<DatabaseReport> databases;
    policy::Policy policy;
    std::vector<ListEntry> trusted;  // empty also when the journal cannot be read (a problem)
    std::vector<std::string> problems;
};

// "The first thing support asks a user to run": every browser found, whether each
// manifest (user and system) is in place and points at this binary, the NSS databases and Firefox
// profiles, the machine policy, what epos-trust has trusted, and a list of problems, each a
// sentence saying what to do. Never throws for a machine in a bad state: that is what it reports.
DoctorReport doctor(const Context& context, const DoctorEnvironment& env);

}  // namespace epos::ops
