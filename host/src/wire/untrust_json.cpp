#include "wire/untrust_json.hpp"

#include "store/trust_store.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::UntrustResult& result) {
    nlohmann::json stores = nlohmann::json::array();
    for (const auto& store : result.stores) {
        nlohmann::json item = {{"id", store.store_id},
                               {"kind", store.kind},
                               {"location", store.location},
                               {"outcome", store::to_string(store.outcome)}};
        if (store.failed()) {
            item["code"] = store.code;
            item["reason"] = store.reason;
        }
        stores.push_back(std::move(item));
    }
    return {{"sha256", result.sha256}, {"stores", stores}};
}

}  // namespace epos::wire
