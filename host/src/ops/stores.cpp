#include "ops/stores.hpp"

#include "util/failure.hpp"

namespace epos::ops {

std::vector<store::StoreSpec> store_specs_for(const Context& context, store::StoreFilter filter) {
    filter.windows_store = context.policy.windows_store;
    return store::locate_stores(context.caller, filter, store::LocatorEnvironment::from_process());
}

std::vector<std::unique_ptr<store::TrustStore>> stores_for(const Context& context) {
    std::vector<std::unique_ptr<store::TrustStore>> stores;
    for (const auto& spec : store_specs_for(context)) {
        try {
            stores.push_back(store::open_store(spec));
        } catch (const Failure&) {
            // A kind this build cannot write is not a store that serves the caller.
        }
    }
    return stores;
}

}  // namespace epos::ops
