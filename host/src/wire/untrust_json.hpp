#pragma once

#include <nlohmann/json.hpp>

#include "ops/untrust.hpp"

namespace epos::wire {

// docs/protocol.md "untrust": the reply's result, for the native messaging face and `--json`.
nlohmann::json to_json(const ops::UntrustResult& result);

}  // namespace epos::wire
