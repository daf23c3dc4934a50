#include "nm/commands.hpp"
#include "ops/list.hpp"
#include "wire/list_json.hpp"

namespace epos::nm {
namespace {

class ListCommand final : public Command {
  public:
    nlohmann::json run(const nlohmann::json&, ops::Context& context) override {
        return wire::to_json(ops::list(context));
    }
};

}  // namespace

std::unique_ptr<Command> make_list_command() {
    return std::make_unique<ListCommand>();
}

}  // namespace epos::nm
