#include "wire/trust_json.hpp"

#include "store/trust_store.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::StoreOutcome& outcome) {
    const auto& spec = outcome.spec;
    nlohmann::json item = {{"id", spec.id()},
                           {"kind", store::to_string(spec.kind)},
                           {"label", spec.label},
                           {"location", spec.location.string()},
                           {"trust", store::to_string(spec.trust)},
                           {"outcome", store::to_string(outcome.outcome)}};
    if (outcome.failed()) {
        item["code"] = outcome.code;
        item["reason"] = outcome.reason;
    }
    if (outcome.effective) {
        item["effective"] = ops::to_string(*outcome.effective);
    }
    return item;
}

nlohmann::json to_json(const ops::TrustResult& result) {
    nlohmann::json stores = nlohmann::json::array();
    for (const auto& outcome : result.stores) {
        stores.push_back(to_json(outcome));
    }
    return {{"sha256", result.sha256},
            {"stores", stores},
            {"restart_needed", result.restart_needed},
            {"firefox_flush_module",
             result.firefox_flush ? nlohmann::json(ops::kFirefoxFlushModule) : nullptr}};
}

}  // namespace epos::wire
