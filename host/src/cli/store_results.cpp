#include "cli/store_results.hpp"

namespace epos::cli {

void print_store_result(std::ostream& out, const StoreLine& line) {
    out << "  " << line.label.value_or(line.location) << " (" << line.location
        << "): " << line.outcome;
    if (!line.effective.empty()) {
        out << ", effective " << line.effective;
    }
    if (line.outcome == "failed") {
        out << "\n    " << line.reason << " [" << line.code << "]";
    }
    out << "\n";
}

}  // namespace epos::cli
