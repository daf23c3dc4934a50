#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

namespace epos::cli {

// The per-store lines of a trust or untrust result, for people.
void print_store_results(std::ostream& out, const nlohmann::json& stores);

}  // namespace epos::cli
