#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ops/context.hpp"

namespace epos::nm {

// Turns one frame body into one reply (docs/protocol.md "Envelope"). Never throws: every
// failure, even a bug in a handler, becomes an error reply with a stable code. The reply is
// guaranteed to fit a frame (kMaxFrame).
// `writers`, when given, is held while a command that writes_state() runs.
std::string dispatch(std::string_view body, ops::Context& context, std::mutex* writers = nullptr);

// The error reply for a request whose id is `id` (null when unknown). `details`, when given,
// is JSON object text (epos::Failure::details) sent as error.details.
std::string error_reply(const nlohmann::json& id, const std::string& code,
                        const std::string& message, const std::string& details = {});

}  // namespace epos::nm
