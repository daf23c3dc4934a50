#include "ops/doctor.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

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

nlohmann::json doctor(const Context& context, const DoctorEnvironment& env) {
    nlohmann::json problems = nlohmann::json::array();
    const auto flush = env.host.empty() ? std::nullopt : flush_module_for(env.host);

    nlohmann::json browser_reports = nlohmann::json::array();
    for (const auto& browser : browsers()) {
        std::optional<fs::path> executable;
        for (const auto* name : browser.executables) {
            if (!executable) {
                executable = find_on_path(env.path_variable, name);
            }
        }
        nlohmann::json manifests = nlohmann::json::array();
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
                nlohmann::json item = {{"scope", to_string(scope)},
                                       {"kind", to_string(location.kind)},
                                       {"path", location.file.string()},
                                       {"state", check.state}};
                if (!check.points_to.empty()) {
                    item["points_to"] = check.points_to;
                }
                manifests.push_back(item);
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
        nlohmann::json report = {{"id", browser.id},
                                 {"label", browser.label},
                                 {"installed", executable.has_value()},
                                 {"host_reachable", host_reachable},
                                 {"manifests", manifests}};
        report["executable"] = executable ? nlohmann::json(executable->string()) : nlohmann::json();
        if (std::string(browser.id) == "firefox") {
            report["flush_module_registered"] = flush_present;
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
        browser_reports.push_back(report);
    }

    nlohmann::json databases = nlohmann::json::array();
    for (const auto& db : store::chromium_databases(env.locator)) {
        databases.push_back({{"browser", "chromium"}, {"path", db.string()}});
    }
    for (const auto& profile : store::firefox_profiles(env.locator)) {
        databases.push_back({{"browser", "firefox"}, {"path", profile.string()}});
    }
    if (databases.empty()) {
        problems.push_back(
            "No browser certificate database was found: start the browser once, "
            "then try again (epos-trust never creates one).");
    }

    const auto policy = context.policy.to_json();
    if (policy.contains("error")) {
        problems.push_back(
            "The machine policy " + context.policy.source +
            " is refused, so every install is: " + policy["error"].get<std::string>());
    }

    nlohmann::json trusted = nlohmann::json::array();
    try {
        trusted = list(store::Journal(env.journal))["entries"];
        for (const auto& entry : trusted) {
            if (entry.value("too_broad", false) == true) {
                std::string names;
                for (const auto& name : entry["public_names"]) {
                    names += (names.empty() ? "" : ", ") + name.get<std::string>();
                }
                problems.push_back(
                    entry["url"].get<std::string>() + " was trusted in " +
                    entry["store"].get<std::string>() +
                    " with a certificate that also vouches for " + names +
                    " (names a public website could have), so that store's browser accepts it for "
                    "those sites too: remove it with `epos-trust untrust " +
                    entry["sha256"].get<std::string>() + "`.");
            }
            if (entry["present"] == false) {
                problems.push_back(entry["url"].get<std::string>() + " was trusted in " +
                                   entry["store"].get<std::string>() +
                                   " but is no longer there: trust it again.");
            }
        }
    } catch (const Failure& failure) {
        problems.push_back(std::string("The journal cannot be read: ") + failure.what());
    }

    nlohmann::json result = {{"host",
                              {{"path", env.host.string()},
                               {"version", EPOS_VERSION},
                               {"flush_module", flush ? flush->string() : ""}}},
                             {"browsers", browser_reports},
                             {"databases", databases},
                             {"policy", policy},
                             {"trusted", trusted},
                             {"problems", problems}};
    return result;
}

}  // namespace epos::ops
