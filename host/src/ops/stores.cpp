#include "ops/stores.hpp"

namespace epos::ops {

// Placeholder until the store locator lands (issue 3): no store is reported, so hello says
// honestly that nothing can be installed yet.
std::vector<std::unique_ptr<store::TrustStore>> stores_for(const Context&) {
    return {};
}

}  // namespace epos::ops
