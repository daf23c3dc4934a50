#pragma once

#include <nlohmann/json.hpp>

#include "ops/flush_chromium.hpp"

namespace epos::wire {

// docs/protocol.md "flush-chromium": {"available": true, "state", "effective_in_ms"}.
nlohmann::json to_json(const ops::FlushStarted& flush);

}  // namespace epos::wire
