#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace epos::cli {

// One store's line of a trust or untrust result, for people.
struct StoreLine {
    std::optional<std::string> label;  // untrust: none, the location stands for it
    std::string location;
    std::string outcome;    // store::to_string(Outcome)
    std::string effective;  // "" when the store does not hold it
    std::string code;       // outcome "failed"
    std::string reason;     // outcome "failed"
};

void print_store_result(std::ostream& out, const StoreLine& line);

}  // namespace epos::cli
