#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "cert/certificate.hpp"
#include "cert/names.hpp"

namespace epos::wire {

// The `certificate` object of docs/protocol.md (without its `names`, below).
nlohmann::json to_json(const cert::Certificate& c);

// The `names` array of docs/protocol.md's `certificate` object:
// [{"type":"dns","value":"printer.local","scope":"local"}, ...].
nlohmann::json to_json(const std::vector<cert::CertificateName>& names);

}  // namespace epos::wire
