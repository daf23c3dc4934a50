#pragma once

#include <nlohmann/json.hpp>

#include "ops/inspect.hpp"

namespace epos::wire {

// docs/protocol.md "inspect": the reply's result, for the native messaging face and `--json`.
nlohmann::json to_json(const ops::InspectReport& report);

}  // namespace epos::wire
