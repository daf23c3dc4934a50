#pragma once

#include <nlohmann/json.hpp>

#include "ops/list.hpp"

namespace epos::wire {

// docs/protocol.md "list": one item of the reply's `entries` (also doctor's `trusted`).
nlohmann::json to_json(const ops::ListEntry& entry);

// docs/protocol.md "list": the reply's result, for the native messaging face and `--json`.
nlohmann::json to_json(const ops::ListResult& result);

}  // namespace epos::wire
