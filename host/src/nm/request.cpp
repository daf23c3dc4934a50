#include "nm/request.hpp"

#include "util/failure.hpp"

namespace epos::nm {

std::string require_string(const nlohmann::json& request, const char* field) {
    const auto it = request.find(field);
    if (it == request.end()) {
        throw Failure("bad_request", std::string("The request has no \"") + field + "\" field.");
    }
    if (!it->is_string()) {
        throw Failure("bad_request", std::string("The \"") + field + "\" field must be a string.");
    }
    return it->get<std::string>();
}

std::string optional_string(const nlohmann::json& request, const char* field,
                            const std::string& fallback) {
    const auto it = request.find(field);
    if (it == request.end() || it->is_null()) {
        return fallback;
    }
    if (!it->is_string()) {
        throw Failure("bad_request", std::string("The \"") + field + "\" field must be a string.");
    }
    return it->get<std::string>();
}

}  // namespace epos::nm
