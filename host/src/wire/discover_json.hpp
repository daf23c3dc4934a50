#pragma once

#include <nlohmann/json.hpp>

#include "ops/discover.hpp"

namespace epos::wire {

// `epos-trust discover --json`: {targets, open, printers:[{url, is_epos, sha256, subject,
// verdict, findings:[codes], trusted_here}], others:[{url, error:{code, message}} or the same as
// a printer with is_epos false], skipped:[{url, reason}], elapsed_ms}.
nlohmann::json to_json(const ops::DiscoverReport& report);

}  // namespace epos::wire
