#include "ops/hello.hpp"

#include "ops/flush_chromium.hpp"
#include "ops/stores.hpp"

namespace epos::ops {

const char* os_name() {
#if defined(_WIN32)
    return "windows";
#elif defined(__APPLE__)
    return "macos";
#else
    return "linux";
#endif
}

nlohmann::json hello(const Context& context) {
    nlohmann::json stores = nlohmann::json::array();
    for (const auto& store : stores_for(context)) {
        stores.push_back({{"id", store->id()},
                          {"kind", store->kind()},
                          {"location", store->location()},
                          {"label", store->label()},
                          {"trust", store::to_string(store->trust_kind())}});
    }
    return {
        {"name", "epos-trust"},
        {"version", EPOS_VERSION},
        {"protocol", kProtocolVersion},
        {"os", os_name()},
        {"caller",
         {{"browser", to_string(context.caller.family)}, {"extension", context.caller.extension}}},
        {"stores", stores},
        {"policy", context.policy.to_json()},
        // Whether `flush-chromium` has a helper to ask: the extension offers "apply without
        // restarting" only then, never a button that can only fail (docs/protocol.md "hello").
        {"chromium_flush", flush_helper_present()},
    };
}

}  // namespace epos::ops
