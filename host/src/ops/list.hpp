#pragma once

#include <nlohmann/json.hpp>

#include "ops/context.hpp"
#include "store/journal.hpp"

namespace epos::ops {

// docs/protocol.md `list`: every journal entry, and whether its store still holds it
// (`present`: true/false, or null with `error` when the store cannot be read now).
nlohmann::json list(const Context& context);
nlohmann::json list(const store::Journal& journal);

}  // namespace epos::ops
