#pragma once

#include <stdexcept>
#include <string>

namespace epos {

// A failure someone can act on: a stable machine code (the protocol's error.code, see
// docs/protocol.md) and a sentence for a person. Every layer throws this; the faces turn it
// into an error reply or an exit status, so no layer needs to know which face called it.
class Failure : public std::runtime_error {
  public:
    Failure(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}

    const std::string& code() const noexcept { return code_; }

  private:
    std::string code_;
};

}  // namespace epos
