#pragma once

#include <nlohmann/json.hpp>

#include "ops/relay.hpp"

namespace epos::wire {

// docs/protocol.md `relay`: the reply's result.
nlohmann::json to_json(const ops::RelayResult& relayed);

}  // namespace epos::wire
