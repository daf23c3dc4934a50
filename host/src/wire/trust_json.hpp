#pragma once

#include <nlohmann/json.hpp>

#include "ops/trust.hpp"

namespace epos::wire {

// docs/protocol.md "trust": one item of the reply's `stores`.
nlohmann::json to_json(const ops::StoreOutcome& outcome);

// docs/protocol.md "trust": the reply's result, for the native messaging face and `--json`.
nlohmann::json to_json(const ops::TrustResult& result);

}  // namespace epos::wire
