#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace epos::nm {

// Typed access to a request's fields; a missing or wrongly typed field is Failure{"bad_request"}
// naming the field, so the extension developer sees exactly what to fix.
std::string require_string(const nlohmann::json& request, const char* field);
std::string optional_string(const nlohmann::json& request, const char* field,
                            const std::string& fallback = {});

}  // namespace epos::nm
