#pragma once

#include <stdexcept>
#include <string>

namespace epos {

// A failure someone can act on: a stable machine code (the protocol's error.code, see
// docs/protocol.md) and a sentence for a person. Every layer throws this; the faces turn it
// into an error reply or an exit status, so no layer needs to know which face called it.
class Failure : public std::runtime_error {
  public:
    // `details`: optional JSON object text, sent as the reply's error.details (docs/protocol.md),
    // kept as text so that this header needs no JSON library.
    Failure(std::string code, const std::string& message, std::string details = {})
        : std::runtime_error(message), code_(std::move(code)), details_(std::move(details)) {}

    const std::string& code() const noexcept { return code_; }
    const std::string& details() const noexcept { return details_; }

  private:
    std::string code_;
    std::string details_;
};

}  // namespace epos
