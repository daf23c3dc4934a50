#pragma once

#include <nlohmann/json.hpp>

#include "ops/export_cert.hpp"

namespace epos::wire {

// docs/protocol.md `export-cert`: the reply's result (the printer's origin stays out of it).
nlohmann::json to_json(const ops::ExportedCertificate& exported);

}  // namespace epos::wire
