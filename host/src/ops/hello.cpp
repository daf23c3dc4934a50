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

HelloResult hello(const Context& context) {
    HelloResult result{EPOS_VERSION,   kProtocolVersion,      os_name(), context.caller, {},
                       context.policy, flush_helper_present()};
    for (const auto& store : stores_for(context)) {
        result.stores.push_back(
            {store->id(), store->kind(), store->location(), store->label(), store->trust_kind()});
    }
    return result;
}

}  // namespace epos::ops
