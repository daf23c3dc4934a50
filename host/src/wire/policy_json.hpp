#pragma once

#include <nlohmann/json.hpp>

#include "policy/policy.hpp"

namespace epos::wire {

// docs/protocol.md "hello": the `policy` object, the effective machine policy (docs/admin.md).
nlohmann::json to_json(const policy::Policy& policy);

}  // namespace epos::wire
