#include "ops/doctor.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "ops/list.hpp"
#include "ops/register.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace fs = std::filesystem;

namespace {

struct BrowserInfo {
    const char* id;
    const char* label;
    std::vector<const char*> executables;  // names on $PATH (Debian, Google, Microsoft, Brave)
};

const std::vector<BrowserInfo>& browsers() {
    static const std::vector<BrowserInfo> list = {
        {"chrome", "Google Chrome", {"google-chrome", "google-chrome-stable"}},
        {"chromium", "Chromium", {"chromium", "chromium-browser"}},
        {"edge", "Microsoft Edge", {"microsoft-edge", "microsoft-edge-stable"}},
        {"brave", "Brave", {"brave-browser", "brave"}},
        {"firefox", "Firefox", {"firefox", "firefox-esr"}},
    };
    return list;
}

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::optional<fs::path> find_on_path(const std::string& path_variable, const char* name) {
    std::istringstream dirs(path_variable);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) {
            continue;
        }
        std::error_code error;
        const auto candidate = fs::path(dir) / name;
        const auto status = fs::status(candidate, error);
        if (!error && fs::is_regular_file(status) &&
            (status.permissions() & fs::perms::others_exec) != fs::perms::none) {
            return candidate;
        }
    }
    return std::nullopt;
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code error;
    return fs::equivalent(a, b, error) && !error;
}

// The list of extensions a manifest must allow, from the template the host was built with.
nlohmann::json expected_allowed(const ManifestLocation& location) {
    const auto doc = nlohmann::json::parse(render_manifest(location, "/x"));
    return doc.contains("allowed_origins") ? doc["allowed_origins"] : doc["allowed_extensions"];
}

}  // namespace

DoctorEnvironment DoctorEnvironment::from_process() {
    DoctorEnvironment env;
    env.install = InstallEnvironment::from_process();
    env.locator = store::LocatorEnvironment::from_process();
    env.path_variable = env_or_empty("PATH");
    try {
        env.host = this_executable();
    } catch (const Failure&) {
        // doctor reports every manifest as pointing elsewhere rather than refusing to run
    }
    env.journal = store::default_journal_path();
    return env;
}

ManifestCheck check_manifest(const ManifestLocation& location, const fs::path& expected_target) {
    std::error_code error;
    if (!fs::exists(location.file, error)) {
        return {"missing", ""};
    }
    std::ifstream in(location.file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
    const std::string name = location.kind == ManifestKind::Host ? kHostName : kFlushModuleName;
    if (!doc.is_object() || doc.value("name", "") != name || !doc.contains("path") ||
        !doc["path"].is_string()) {
        return {"invalid", ""};
    }
    const auto target = doc["path"].get<std::string>();
    const char* list_key = location.firefox_format ? "allowed_extensions" : "allowed_origins";
    if (!doc.contains(list_key) || doc[list_key] != expected_allowed(location)) {
        return {"wrong_extension", target};
    }
    if (!fs::path(target).is_absolute() || !fs::is_regular_file(target, error)) {
        return {"broken", target};
    }
    if (!expected_target.empty() && !same_file(target, expected_target)) {
        return {"points_elsewhere", target};
    }
    return {"ok", target};
}

DoctorReport doctor(const Context& context, const DoctorEnvironment& env) {
    DoctorReport report;
    auto& problems = report.problems;
    const auto flush = env.host.empty() ? std::nullopt : flush_module_for(env.host);
    report.host = env.host;
    report.flush_module = flush.value_or(fs::path());

    for (const auto& browser : browsers()) {
        BrowserReport browser_report{browser.id, browser.label, std::nullopt, false,
                                     {},         std::nullopt};
        auto& executable = browser_report.executable;
        for (const auto* name : browser.executables) {
            if (!executable) {
                executable = find_on_path(env.path_variable, name);
            }
        }
        bool host_reachable = false;
        bool flush_present = false;
        for (const auto scope : {Scope::User, Scope::System}) {
            const auto locations = manifest_locations(scope, env.install);
            // Where Brave has no manifest of its own (Linux per machine, Windows), it reads
            // Chrome's (manifest_locations.hpp).
            const bool brave_reads_chrome =
                std::none_of(locations.begin(), locations.end(),
                             [](const ManifestLocation& l) { return l.browser == "brave"; });
            for (const auto& location : locations) {
                const bool serves = location.browser == browser.id ||
                                    (std::string(browser.id) == "brave" && brave_reads_chrome &&
                                     location.browser == "chrome");
                if (!serves) {
                    continue;
                }
                const auto expected =
                    location.kind == ManifestKind::Host ? env.host : flush.value_or(fs::path());
                const auto check = check_manifest(location, expected);
                browser_report.manifests.push_back({scope, location.kind, location.file, check});
                const bool works = check.state == "ok" || check.state == "points_elsewhere";
                if (location.kind == ManifestKind::Host) {
                    host_reachable = host_reachable || works;
                } else {
                    flush_present = flush_present || works;
                }
                if (check.state == "broken" || check.state == "wrong_extension" ||
                    check.state == "invalid") {
                    problems.push_back(location.file.string() + " is " + check.state +
                                       ": run `epos-trust register" +
                                       (scope == Scope::System ? " --system` as root" : "`") +
                                       " to rewrite it.");
                }
            }
        }
        browser_report.host_reachable = host_reachable;
        if (std::string(browser.id) == "firefox") {
            browser_report.flush_module_registered = flush_present;
            if (executable && !flush_present) {
                problems.push_back(
                    "Firefox has no epos_trust_flush module manifest: after a first failure it "
                    "needs a restart. Run `epos-trust register`.");
            }
        }
        if (executable && !host_reachable) {
            problems.push_back(std::string(browser.label) +
                               " cannot start epos-trust (no manifest for it): run `epos-trust "
                               "register` (or `sudo epos-trust register --system`).");
        }
        report.browsers.push_back(std::move(browser_report));
    }

    for (const auto& db : store::chromium_databases(env.locator)) {
        report.databases.push_back({"chromium", db});
    }
    for (const auto& profile : store::firefox_profiles(env.locator)) {
        report.databases.push_back({"firefox", profile});
    }
    if (report.databases.empty()) {
        problems.push_back(
            "No browser certificate database was found: start the browser once, "
            "then try again (epos-trust never creates one).");
    }

    report.policy = context.policy;
    if (!context.policy.error.empty()) {
        problems.push_back("The machine policy " + context.policy.source +
                           " is refused, so every install is: " + context.policy.error);
    }

    try {
        report.trusted = list(store::Journal(env.journal)).entries;
        for (const auto& entry : report.trusted) {
            const auto& journaled = entry.journaled;
            if (entry.too_broad() == true) {
                std::string names;
                for (const auto& name : *entry.public_names) {
                    names += (names.empty() ? "" : ", ") + name;
                }
                problems.push_back(
                    journaled.url + " was trusted in " + journaled.store_id +
                    " with a certificate that also vouches for " + names +
                    " (names a public website could have), so that store's browser accepts it for "
                    "those sites too: remove it with `epos-trust untrust " +
                    journaled.sha256 + "`.");
            }
            if (entry.present == false) {
                problems.push_back(journaled.url + " was trusted in " + journaled.store_id +
                                   " but is no longer there: trust it again.");
            }
        }
    } catch (const Failure& failure) {
        problems.push_back(std::string("The journal cannot be read: ") + failure.what());
    }
    return report;
}

}  // namespace epos::ops
