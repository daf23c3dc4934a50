#include "nm/commands.hpp"
#include "nm/request.hpp"
#include "ops/untrust.hpp"
#include "wire/untrust_json.hpp"

namespace epos::nm {
namespace {

class UntrustCommand final : public Command {
  public:
    bool writes_state() const override { return true; }
    nlohmann::json run(const nlohmann::json& request, ops::Context& context) override {
        return wire::to_json(ops::untrust(context, require_string(request, "sha256")));
    }
};

}  // namespace

std::unique_ptr<Command> make_untrust_command() {
    return std::make_unique<UntrustCommand>();
}

}  // namespace epos::nm
