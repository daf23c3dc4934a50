#pragma once

#include <memory>
#include <vector>

#include "ops/context.hpp"
#include "store/locator.hpp"
#include "store/trust_store.hpp"

namespace epos::ops {

// The trust stores that serve the calling browser on this machine (docs/design.md "The host's
// layers": the locator), narrowed by `filter` (the CLI's --browser/--store/--system).
std::vector<store::StoreSpec> store_specs_for(const Context& context,
                                              store::StoreFilter filter = {});

// The same stores, opened (hello, inspect).
std::vector<std::unique_ptr<store::TrustStore>> stores_for(const Context& context);

}  // namespace epos::ops
