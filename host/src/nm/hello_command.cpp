#include "nm/commands.hpp"
#include "ops/hello.hpp"
#include "wire/hello_json.hpp"

namespace epos::nm {
namespace {

class HelloCommand final : public Command {
  public:
    nlohmann::json run(const nlohmann::json&, ops::Context& context) override {
        return wire::to_json(ops::hello(context));
    }
};

}  // namespace

std::unique_ptr<Command> make_hello_command() {
    return std::make_unique<HelloCommand>();
}

}  // namespace epos::nm
