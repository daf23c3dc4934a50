#include "wire/policy_json.hpp"

#include "util/address_class.hpp"

namespace epos::wire {

nlohmann::json to_json(const policy::Policy& policy) {
    nlohmann::json networks = nlohmann::json::array();
    for (auto cls : policy.allowed_networks) {
        networks.push_back(to_string(cls));
    }
    nlohmann::json out = {
        {"allowed_networks", networks},
        {"pinned_sha256", policy.pinned_sha256},
        {"installs_allowed", policy.installs_permitted()},
        {"require_confirmation", policy.require_confirmation},
        {"windows_store", policy.windows_store},
        {"source", policy.source},
    };
    if (policy.pos_origins) {
        out["pos_origins"] = *policy.pos_origins;
    }
    if (!policy.error.empty()) {
        out["error"] = policy.error;
    }
    return out;
}

}  // namespace epos::wire
