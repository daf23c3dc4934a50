#include "nm/commands.hpp"
#include "nm/request.hpp"
#include "ops/trust.hpp"
#include "wire/trust_json.hpp"

namespace epos::nm {
namespace {

// {"cmd": "trust", "url", "sha256", "origin"?}: the browser's stores only; which ones is the
// locator's business (the caller decides: Chromium's database, or the calling Firefox profile).
class TrustCommand final : public Command {
  public:
    bool writes_state() const override { return true; }
    nlohmann::json run(const nlohmann::json& request, ops::Context& context) override {
        ops::TrustRequest trust{require_string(request, "url"),
                                require_string(request, "sha256"),
                                {},
                                optional_string(request, "origin")};
        return wire::to_json(ops::trust(context, trust));
    }
};

}  // namespace

std::unique_ptr<Command> make_trust_command() {
    return std::make_unique<TrustCommand>();
}

}  // namespace epos::nm
