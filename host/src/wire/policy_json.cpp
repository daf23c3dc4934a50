#include "wire/policy_json.hpp"

namespace epos::wire {

nlohmann::json to_json(const policy::Policy& p) {
    nlohmann::json networks = nlohmann::json::array();
    for (auto cls : p.allowed_networks) {
        networks.push_back(to_string(cls));
    }
    nlohmann::json out = {
        {"allowed_networks", networks},
        {"pinned_sha256", p.pinned_sha256},
        {"installs_allowed", p.installs_permitted()},
        {"require_confirmation", p.require_confirmation},
        {"windows_store", p.windows_store},
        {"source", p.source},
    };
    if (p.pos_origins) {
        out["pos_origins"] = *p.pos_origins;
    }
    if (!p.error.empty()) {
        out["error"] = p.error;
    }
    return out;
}

}  // namespace epos::wire
