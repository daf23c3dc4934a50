#pragma once

#include <nlohmann/json.hpp>

#include "ops/hello.hpp"

namespace epos::wire {

// docs/protocol.md "hello": the reply's result, for the native messaging face and `--json`.
nlohmann::json to_json(const ops::HelloResult& hello);

}  // namespace epos::wire
