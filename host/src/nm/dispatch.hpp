#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nm/command.hpp"
#include "ops/context.hpp"

namespace epos::nm {

// Turns one frame body into one reply (docs/protocol.md "Envelope"). Never throws: every
// failure, even a bug in a handler that throws something that is not a std::exception, becomes
// an error reply with a stable code (`internal` for what no one planned). The reply is
// guaranteed to fit a frame (kMaxFrame).
// `writers`, when given, is held while a command that writes_state() runs. `table`: the
// commands (tests pass their own).
std::string dispatch(std::string_view body, ops::Context& context, std::mutex* writers = nullptr,
                     const CommandTable& table = command_table()) noexcept;

// The reply for a request that something unplanned stopped (id null when unknown); what
// dispatch answers for any exception but a Failure. Never throws.
std::string internal_reply(const nlohmann::json& id, const std::string& what) noexcept;

// The error reply for a request whose id is `id` (null when unknown). `details`, when an object
// (epos::Failure::details), is sent as error.details.
std::string error_reply(const nlohmann::json& id, const std::string& code,
                        const std::string& message, const nlohmann::json& details = nullptr);

}  // namespace epos::nm
