#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "ops/context.hpp"
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

// "The first thing support asks a user to run": every browser found, whether each
// manifest (user and system) is in place and points at this binary, the NSS databases and Firefox
// profiles, the machine policy, what epos-trust has trusted, and a list of problems, each a
// sentence saying what to do. Never throws for a machine in a bad state: that is what it reports.
nlohmann::json doctor(const Context& context, const DoctorEnvironment& env);

}  // namespace epos::ops
