#include "wire/register_json.hpp"

namespace epos::wire {
namespace {

nlohmann::json manifests_json(const std::vector<ops::ManifestChange>& changes, bool unregister) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& change : changes) {
        nlohmann::json entry = {{"browser", change.browser},
                                {"kind", ops::to_string(change.kind)},
                                {"path", change.path.string()},
                                {"action", change.action}};
        if (!change.registry.empty()) {
            entry["registry"] = change.registry;
            if (unregister) {
                entry["registry_action"] = change.registry_action;
            }
        }
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace

nlohmann::json to_json(const ops::RegisterResult& registered) {
    nlohmann::json result = {{"scope", ops::to_string(registered.scope)},
                             {"host", registered.host.string()},
                             {"manifests", manifests_json(registered.manifests, false)},
                             {"notes", registered.notes}};
    result["flush_module"] = registered.flush_module
                                 ? nlohmann::json(registered.flush_module->string())
                                 : nlohmann::json();
    return result;
}

nlohmann::json to_json(const ops::UnregisterResult& unregistered) {
    return {{"scope", ops::to_string(unregistered.scope)},
            {"manifests", manifests_json(unregistered.manifests, true)}};
}

}  // namespace epos::wire
