#include "nm/dispatch.hpp"

#include <iostream>

#include "nm/command.hpp"
#include "nm/framing.hpp"
#include "util/failure.hpp"
#include "util/utf8.hpp"

namespace epos::nm {
namespace {

// Deeper JSON than this is not a request but an attack on the parser's stack.
constexpr int kMaxDepth = 32;

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
                        const std::string& message) {
    return serialise(
        {{"id", id}, {"ok", false}, {"error", {{"code", code}, {"message", message}}}});
}

std::string dispatch(std::string_view body, ops::Context& context) {
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
    } catch (const nlohmann::json::parse_error& e) {
        return error_reply(nullptr, "invalid_json",
                           std::string("The message is not valid JSON: ") + e.what());
    }
    if (!request.is_object()) {
        return error_reply(nullptr, "invalid_json", "The message must be a JSON object.");
    }
    nlohmann::json id = nullptr;
    if (const auto it = request.find("id"); it != request.end()) {
        if (!it->is_string() && !it->is_number_integer()) {
            return error_reply(nullptr, "bad_request", "\"id\" must be a string or an integer.");
        }
        id = *it;
    } else {
        return error_reply(nullptr, "bad_request", "The request has no \"id\" field.");
    }
    const auto cmd = request.find("cmd");
    if (cmd == request.end() || !cmd->is_string()) {
        return error_reply(id, "bad_request", "The request needs a \"cmd\" string.");
    }
    const auto& table = command_table();
    const auto entry = table.find(cmd->get<std::string>());
    if (entry == table.end()) {
        return error_reply(id, "unknown_command",
                           "Unknown command \"" + cmd->get<std::string>() + "\".");
    }

    std::string reply;
    try {
        auto command = entry->second();
        reply = serialise({{"id", id}, {"ok", true}, {"result", command->run(request, context)}});
    } catch (const Failure& failure) {
        if (!failure.details().empty()) {
            auto details = nlohmann::json::parse(failure.details(), nullptr, false);
            if (details.is_object()) {
                return serialise({{"id", id},
                                  {"ok", false},
                                  {"error",
                                   {{"code", failure.code()},
                                    {"message", failure.what()},
                                    {"details", details}}}});
            }
        }
        return error_reply(id, failure.code(), failure.what());
    } catch (const std::exception& e) {
        std::cerr << "epos-trust: internal error in " << cmd->get<std::string>() << ": " << e.what()
                  << "\n";
        return error_reply(id, "internal", std::string("Internal error: ") + e.what());
    }
    if (reply.size() > kMaxFrame) {
        return error_reply(id, "reply_too_large",
                           "The answer would exceed the browser's 1 MiB message limit.");
    }
    return reply;
}

}  // namespace epos::nm
