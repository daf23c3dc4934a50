#include "cli/cli_command.hpp"
#include "cli/store_results.hpp"
#include "ops/untrust.hpp"
#include "wire/untrust_json.hpp"

namespace epos::cli {
namespace {

class UntrustCli final : public CliCommand {
  public:
    const char* name() const override { return "untrust"; }
    const char* summary() const override {
        return "remove what epos-trust installed for a fingerprint";
    }
    const char* usage() const override { return "untrust --sha256 FINGERPRINT [--json]"; }

    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override {
        options.add_options()("sha256", po::value<std::string>()->required(),
                              "the fingerprint (epos-trust list shows them)");
        positional.add("sha256", 1);
    }

    int run(const po::variables_map& args, ops::Context& context, Output& output) override {
        const auto result = ops::untrust(context, args["sha256"].as<std::string>());
        if (output.json) {
            output.out << wire::to_json(result).dump(2) << "\n";
        } else {
            output.out << "Untrusted " << result.sha256 << ":\n";
            for (const auto& store : result.stores) {
                print_store_result(
                    output.out, {std::nullopt, store.location, store::to_string(store.outcome), "",
                                 store.code, store.reason});
            }
        }
        for (const auto& store : result.stores) {
            if (store.failed()) {
                return 1;
            }
        }
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_untrust_cli() {
    return std::make_unique<UntrustCli>();
}

}  // namespace epos::cli
