#pragma once

#include <memory>
#include <vector>

#include "ops/context.hpp"
#include "store/trust_store.hpp"

namespace epos::ops {

// The trust stores that serve the calling browser on this machine (DESIGN.md: the locator).
std::vector<std::unique_ptr<store::TrustStore>> stores_for(const Context& context);

}  // namespace epos::ops
