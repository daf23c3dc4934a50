#pragma once

#include <nlohmann/json.hpp>

#include "ops/doctor.hpp"

namespace epos::wire {

// `epos-trust doctor --json` (docs/admin.md, section 7).
nlohmann::json to_json(const ops::DoctorReport& report);

}  // namespace epos::wire
