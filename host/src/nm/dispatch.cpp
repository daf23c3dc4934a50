#include "nm/dispatch.hpp"

#include <chrono>

#include "nm/command.hpp"
#include "nm/framing.hpp"
#include "util/error_codes.hpp"
#include "util/failure.hpp"
#include "util/log.hpp"
#include "util/utf8.hpp"

namespace epos::nm {
namespace {

// Deeper JSON than this is not a request but an attack on the parser's stack.
constexpr int kMaxDepth = 32;

// The extension's ids are counters or short strings; the bound keeps every echo of one small.
constexpr std::size_t kMaxIdLength = 256;

bool too_deep(std::string_view body) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : body) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) {
                return true;
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

std::string serialise(const nlohmann::json& reply) {
    // Replace, never throw, on strings that are not UTF-8 (a certificate subject can hold
    // anything): the browser would drop the whole port on invalid UTF-8.
    return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string error_reply(const nlohmann::json& id, const std::string& code,
                        const std::string& message, const nlohmann::json& details) {
    if (!errors::is_registered(code)) {
        log::error("error code \"" + code + "\" is not in util/error_codes.hpp (docs/protocol.md)");
    }
    nlohmann::json error = {{"code", code}, {"message", message}};
    if (details.is_object()) {
        error["details"] = details;
    }
    std::string reply = serialise({{"id", id}, {"ok", false}, {"error", std::move(error)}});
    if (reply.size() > kMaxFrame) {
        // Only echoed input can get here (a huge message or details built from the request):
        // an unsendable reply would end the session (write_frame refuses it), so send the code
        // with a short message and no id rather than nothing.
        reply = serialise({{"id", nullptr},
                           {"ok", false},
                           {"error", {{"code", code}, {"message", message.substr(0, 1024)}}}});
    }
    return reply;
}

namespace {

// dispatch, save for its last guard. `id` is set as soon as the request's id is known, so that
// the guard can echo it.
std::string answer(std::string_view body, ops::Context& context, std::mutex* writers,
                   const CommandTable& table, nlohmann::json& id) {
    if (!is_valid_utf8(body)) {
        return error_reply(nullptr, "invalid_utf8", "The message is not valid UTF-8.");
    }
    if (too_deep(body)) {
        return error_reply(
            nullptr, "invalid_json",
            "The message nests deeper than " + std::to_string(kMaxDepth) + " levels.");
    }
    nlohmann::json request;
    try {
        request = nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& e) {
        // parse_error, and out_of_range for a number too large for a double ("1e999": found
        // by tests/fuzz; it escaped as an uncaught exception and killed the host).
        return error_reply(nullptr, "invalid_json",
                           std::string("The message is not valid JSON: ") + e.what());
    }
    if (!request.is_object()) {
        return error_reply(nullptr, "invalid_json", "The message must be a JSON object.");
    }
    if (const auto it = request.find("id"); it != request.end()) {
        if (!it->is_string() && !it->is_number_integer()) {
            return error_reply(nullptr, "bad_request", "\"id\" must be a string or an integer.");
        }
        // Every reply echoes the id: a huge one would make every reply too large to send.
        if (it->is_string() && it->get_ref<const std::string&>().size() > kMaxIdLength) {
            return error_reply(
                nullptr, "bad_request",
                "\"id\" is longer than " + std::to_string(kMaxIdLength) + " characters.");
        }
        id = *it;
    } else {
        return error_reply(nullptr, "bad_request", "The request has no \"id\" field.");
    }
    const auto cmd = request.find("cmd");
    if (cmd == request.end() || !cmd->is_string()) {
        return error_reply(id, "bad_request", "The request needs a \"cmd\" string.");
    }
    const auto entry = table.find(cmd->get<std::string>());
    if (entry == table.end()) {
        const auto& name = cmd->get_ref<const std::string&>();
        return error_reply(
            id, "unknown_command",
            "Unknown command \"" + (name.size() > 64 ? name.substr(0, 64) + "..." : name) + "\".");
    }

    std::string reply;
    const auto started = std::chrono::steady_clock::now();
    const auto took = [&] {
        return " in " +
               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count()) +
               " ms";
    };
    try {
        auto command = entry->second();
        std::unique_lock<std::mutex> serialised;
        if (writers != nullptr && command->writes_state()) {
            serialised = std::unique_lock<std::mutex>(*writers);
        }
        reply = serialise({{"id", id}, {"ok", true}, {"result", command->run(request, context)}});
        log::info(cmd->get<std::string>() + " ok" + took());
    } catch (const Failure& failure) {
        log::info(cmd->get<std::string>() + " failed" + took() + ": " + failure.code());
        return error_reply(id, failure.code(), failure.what(), failure.details());
    } catch (const std::exception& e) {
        log::error("internal error in " + cmd->get<std::string>() + ": " + e.what());
        return internal_reply(id, e.what());
    } catch (...) {
        // Not even a std::exception (a library's own type, a thrown int): still a reply.
        log::error("internal error in " + cmd->get<std::string>() + ": an unknown exception");
        return internal_reply(id, "an unknown exception");
    }
    if (reply.size() > kMaxFrame) {
        return error_reply(id, "reply_too_large",
                           "The answer would exceed the browser's 1 MiB message limit.");
    }
    return reply;
}

}  // namespace

std::string internal_reply(const nlohmann::json& id, const std::string& what) noexcept {
    try {
        return error_reply(id, "internal", "Internal error: " + what);
    } catch (...) {
        // Out of memory for the reply itself: a fixed one, without the id or what happened.
        try {
            return R"({"error":{"code":"internal","message":"Internal error."},"id":null,"ok":false})";
        } catch (...) {
            return {};  // nothing to send; the session writes no empty frame
        }
    }
}

std::string dispatch(std::string_view body, ops::Context& context, std::mutex* writers,
                     const CommandTable& table) noexcept {
    nlohmann::json id = nullptr;
    try {
        return answer(body, context, writers, table, id);
    } catch (const std::exception& e) {
        // Outside a command: parsing the envelope or writing the reply (std::bad_alloc).
        return internal_reply(id, e.what());
    } catch (...) {
        return internal_reply(id, "an unknown exception");
    }
}

}  // namespace epos::nm
