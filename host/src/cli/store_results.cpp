#include "cli/store_results.hpp"

namespace epos::cli {

void print_store_results(std::ostream& out, const nlohmann::json& stores) {
    for (const auto& store : stores) {
        out << "  " << store.value("label", store["location"].get<std::string>()) << " ("
            << store["location"].get<std::string>() << "): " << store["outcome"].get<std::string>();
        if (store.contains("effective")) {
            out << ", effective " << store["effective"].get<std::string>();
        }
        if (store.contains("reason")) {
            out << "\n    " << store["reason"].get<std::string>() << " ["
                << store["code"].get<std::string>() << "]";
        }
        out << "\n";
    }
}

}  // namespace epos::cli
