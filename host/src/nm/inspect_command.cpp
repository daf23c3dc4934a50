#include "nm/commands.hpp"
#include "nm/request.hpp"
#include "ops/inspect.hpp"
#include "wire/inspect_json.hpp"

namespace epos::nm {
namespace {

class InspectCommand final : public Command {
  public:
    nlohmann::json run(const nlohmann::json& request, ops::Context& context) override {
        return wire::to_json(ops::inspect(context, require_string(request, "url")));
    }
};

}  // namespace

std::unique_ptr<Command> make_inspect_command() {
    return std::make_unique<InspectCommand>();
}

}  // namespace epos::nm
