#pragma once

#include <nlohmann/json.hpp>

#include "policy/policy.hpp"

namespace epos::wire {

// The `policy` object of docs/protocol.md's `hello` and `doctor`.
nlohmann::json to_json(const policy::Policy& p);

}  // namespace epos::wire
