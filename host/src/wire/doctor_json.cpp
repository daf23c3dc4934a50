#include "wire/doctor_json.hpp"
#include "wire/policy_json.hpp"

#include "policy/policy.hpp"
#include "wire/list_json.hpp"

namespace epos::wire {
namespace {

nlohmann::json to_json(const ops::BrowserReport& browser) {
    nlohmann::json manifests = nlohmann::json::array();
    for (const auto& manifest : browser.manifests) {
        nlohmann::json item = {{"scope", ops::to_string(manifest.scope)},
                               {"kind", ops::to_string(manifest.kind)},
                               {"path", manifest.path.string()},
                               {"state", manifest.check.state}};
        if (!manifest.check.points_to.empty()) {
            item["points_to"] = manifest.check.points_to;
        }
        manifests.push_back(std::move(item));
    }
    nlohmann::json out = {{"id", browser.id},
                          {"label", browser.label},
                          {"installed", browser.installed()},
                          {"host_reachable", browser.host_reachable},
                          {"manifests", manifests}};
    out["executable"] =
        browser.executable ? nlohmann::json(browser.executable->string()) : nlohmann::json();
    if (browser.flush_module_registered) {
        out["flush_module_registered"] = *browser.flush_module_registered;
    }
    return out;
}

}  // namespace

nlohmann::json to_json(const ops::DoctorReport& report) {
    nlohmann::json browsers = nlohmann::json::array();
    for (const auto& browser : report.browsers) {
        browsers.push_back(to_json(browser));
    }
    nlohmann::json databases = nlohmann::json::array();
    for (const auto& db : report.databases) {
        databases.push_back({{"browser", db.browser}, {"path", db.path.string()}});
    }
    nlohmann::json trusted = nlohmann::json::array();
    for (const auto& entry : report.trusted) {
        trusted.push_back(to_json(entry));
    }
    return {{"host",
             {{"path", report.host.string()},
              {"version", EPOS_VERSION},
              {"flush_module", report.flush_module.string()}}},
            {"browsers", browsers},
            {"databases", databases},
            {"policy", wire::to_json(report.policy)},
            {"trusted", trusted},
            {"problems", report.problems}};
}

}  // namespace epos::wire
