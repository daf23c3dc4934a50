#include "util/failure.hpp"

#include <nlohmann/json.hpp>

namespace epos {

Failure::Failure(std::string code, const std::string& message)
    : std::runtime_error(message), code_(std::move(code)) {}

Failure::Failure(std::string code, const std::string& message, nlohmann::json details)
    : std::runtime_error(message), code_(std::move(code)) {
    if (!details.is_null()) {
        details_ = std::make_shared<const nlohmann::json>(std::move(details));
    }
}

const nlohmann::json& Failure::details() const noexcept {
    static const nlohmann::json none = nullptr;
    return details_ ? *details_ : none;
}

}  // namespace epos
