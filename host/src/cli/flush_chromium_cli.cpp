#include "cli/cli_command.hpp"
#include "ops/flush_chromium.hpp"
#include "wire/flush_chromium_json.hpp"

namespace epos::cli {
namespace {

class FlushChromiumCli final : public CliCommand {
  public:
    const char* name() const override { return "flush-chromium"; }
    const char* summary() const override {
        return "make a running Chromium/Chrome use newly trusted printers without a restart";
    }
    const char* usage() const override { return "flush-chromium [--json]"; }

    int run(const po::variables_map&, ops::Context&, Output& output) override {
        const auto result = ops::flush_chromium();
        if (output.json) {
            output.out << wire::to_json(result).dump(2) << "\n";
            return 0;
        }
        output.out << "Chromium and Chrome drop their cached certificate verdicts in about "
                   << (result.effective_in_ms + 999) / 1000
                   << " s; then reload the printer's page.\n";
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_flush_chromium_cli() {
    return std::make_unique<FlushChromiumCli>();
}

}  // namespace epos::cli
