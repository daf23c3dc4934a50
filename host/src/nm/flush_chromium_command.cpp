#include "nm/commands.hpp"
#include "ops/flush_chromium.hpp"
#include "wire/flush_chromium_json.hpp"

namespace epos::nm {
namespace {

class FlushChromiumCommand final : public Command {
  public:
    nlohmann::json run(const nlohmann::json&, ops::Context&) override {
        return wire::to_json(ops::flush_chromium());
    }
};

}  // namespace

std::unique_ptr<Command> make_flush_chromium_command() {
    return std::make_unique<FlushChromiumCommand>();
}

}  // namespace epos::nm
