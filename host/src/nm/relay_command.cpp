#include "nm/commands.hpp"
#include "nm/request.hpp"
#include "ops/relay.hpp"
#include "util/failure.hpp"
#include "wire/relay_json.hpp"

namespace epos::nm {
namespace {

// {"cmd": "relay", "url", "path", "query"?, "method", "body", "content_type"?, "origin",
//  "timeout_ms"?}: one held POS print to a trusted printer (docs/protocol.md).
class RelayCommand final : public Command {
  public:
    nlohmann::json run(const nlohmann::json& request, ops::Context& context) override {
        ops::RelayRequest relay;
        relay.url = require_string(request, "url");
        relay.path = require_string(request, "path");
        relay.query = optional_string(request, "query");
        relay.method = require_string(request, "method");
        relay.body = require_string(request, "body");
        relay.content_type = optional_string(request, "content_type");
        relay.origin = require_string(request, "origin");
        if (const auto it = request.find("timeout_ms"); it != request.end() && !it->is_null()) {
            if (!it->is_number_integer()) {
                throw Failure("bad_request", "\"timeout_ms\" must be an integer (milliseconds).");
            }
            const auto ms = it->get<long long>();
            if (ms < ops::kMinRelayTimeout.count() || ms > ops::kMaxRelayTimeout.count()) {
                throw Failure("bad_request", "\"timeout_ms\" must be between 1000 and 60000.");
            }
            relay.timeout = std::chrono::milliseconds(ms);
        }
        return wire::to_json(ops::relay(context, relay));
    }
};

}  // namespace

std::unique_ptr<Command> make_relay_command() {
    return std::make_unique<RelayCommand>();
}

}  // namespace epos::nm
