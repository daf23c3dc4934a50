#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace epos {

// A failure someone can act on: a stable machine code (the protocol's error.code, see
// docs/protocol.md) and a sentence for a person. Every layer throws this; the faces turn it
// into an error reply or an exit status, so no layer needs to know which face called it.
class Failure : public std::runtime_error {
  public:
    Failure(std::string code, const std::string& message);
    // `details`: a JSON object, sent as the reply's error.details (docs/protocol.md) and read
    // by callers (relay reads presented_sha256) without parsing anything. Null means none; any
    // other kind of value is not sent (the protocol's details is always an object).
    Failure(std::string code, const std::string& message, nlohmann::json details);
    // JSON text (a `.dump()`) as details would quietly become a JSON string: pass the object.
    Failure(std::string code, const std::string& message, std::string details) = delete;

    const std::string& code() const noexcept { return code_; }
    // The details given, or null; never throws.
    const nlohmann::json& details() const noexcept;

  private:
    std::string code_;
    // Shared: a copy of a Failure (a throw, a catch by value, relay keeping the last one) does
    // not copy the JSON.
    std::shared_ptr<const nlohmann::json> details_;
};

}  // namespace epos
