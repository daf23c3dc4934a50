#include "wire/hello_json.hpp"
#include "wire/policy_json.hpp"

#include "policy/policy.hpp"
#include "store/trust_store.hpp"
#include "util/caller.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::HelloResult& hello) {
    nlohmann::json stores = nlohmann::json::array();
    for (const auto& store : hello.stores) {
        stores.push_back({{"id", store.id},
                          {"kind", store::to_string(store.kind)},
                          {"location", store.location},
                          {"label", store.label},
                          {"trust", store::to_string(store.trust)}});
    }
    return {
        {"name", "epos-trust"},
        {"version", hello.version},
        {"protocol", hello.protocol},
        {"os", hello.os},
        {"caller",
         {{"browser", to_string(hello.caller.family)}, {"extension", hello.caller.extension}}},
        {"stores", stores},
        {"policy", wire::to_json(hello.policy)},
        {"chromium_flush", hello.chromium_flush},
    };
}

}  // namespace epos::wire
