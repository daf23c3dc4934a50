#include <iostream>

#include "cli/cli_command.hpp"
#include "cli/console.hpp"
#include "cli/store_results.hpp"
#include "ops/stores.hpp"
#include "ops/trust.hpp"
#include "util/failure.hpp"
#include "wire/trust_json.hpp"

namespace epos::cli {
namespace {

constexpr int kExitUsage = 2;

// --browser / --store / --system, shared by the commands that pick stores.
store::StoreFilter filter_from(const po::variables_map& args) {
    store::StoreFilter filter;
    if (args.count("browser")) {
        const auto& browser = args["browser"].as<std::string>();
        if (browser == "chrome") {
            filter.browser = Caller::Family::Chrome;
        } else if (browser == "firefox") {
            filter.browser = Caller::Family::Firefox;
        } else if (browser != "all") {
            throw Failure("bad_request", "--browser must be chrome, firefox or all.");
        }
    }
    if (args.count("store")) {
        filter.ids = args["store"].as<std::vector<std::string>>();
    }
    filter.system = args["system"].as<bool>();
    if (filter.system && !running_as_administrator()) {
        throw Failure("policy_forbids", "--system changes the system CA store: run it as root.");
    }
    return filter;
}

class TrustCli final : public CliCommand {
  public:
    const char* name() const override { return "trust"; }
    const char* summary() const override {
        return "install a printer's certificate in this computer's browsers";
    }
    const char* usage() const override {
        return "trust https://HOST[:PORT] --sha256 FINGERPRINT [--yes] [--browser B] [--store ID] "
               "[--system] [--json]";
    }

    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override {
        options.add_options()("url", po::value<std::string>()->required(),
                              "the printer's https:// address")(
            "sha256", po::value<std::string>()->required(),
            "the SHA-256 fingerprint you checked (epos-trust inspect shows it)")(
            "yes,y", po::bool_switch(), "do not ask for confirmation (scripts)")(
            "browser", po::value<std::string>(), "only the stores of: chrome, firefox, all")(
            "store", po::value<std::vector<std::string>>(),
            "only this store id (repeatable; epos-trust hello lists them)")(
            "system", po::bool_switch(),
            "also the Linux system CA store (root only; Chrome and Firefox do not read it)");
        positional.add("url", 1);
    }

    int run(const po::variables_map& args, ops::Context& context, Output& output) override {
        ops::TrustRequest request{args["url"].as<std::string>(), args["sha256"].as<std::string>(),
                                  filter_from(args)};
        if (!args["yes"].as<bool>()) {
            if (!stdin_is_terminal()) {
                output.err << "epos-trust trust: not asking on a non-interactive input; pass "
                              "--yes to confirm.\n";
                return kExitUsage;
            }
            const std::string sha256 = ops::normalise_sha256(request.sha256);
            output.err << "Trust the printer at " << request.url << "\nwith SHA-256 " << sha256
                       << "\nin:\n";
            for (const auto& spec : ops::store_specs_for(context, request.filter)) {
                output.err << "  " << spec.label << " (" << spec.location.string() << ")\n";
            }
            output.err << "Check the fingerprint against the printer's status sheet. Trust it? "
                          "[y/N] ";
            std::string answer;
            std::getline(std::cin, answer);
            if (answer != "y" && answer != "Y" && answer != "yes") {
                output.err << "Nothing was installed.\n";
                return 1;
            }
        }
        const auto result = ops::trust(context, request);
        if (output.json) {
            output.out << wire::to_json(result).dump(2) << "\n";
            return 0;
        }
        output.out << "Trusted " << result.sha256 << ":\n";
        for (const auto& store : result.stores) {
            print_store_result(output.out, {store.spec.label, store.spec.location.string(),
                                            store::to_string(store.outcome),
                                            store.effective ? ops::to_string(*store.effective) : "",
                                            store.code, store.reason});
        }
        if (result.firefox_flush) {
            output.out << "A running Firefox that already refused this printer sees it after a "
                          "restart (the extension flushes its cache without one).\n";
        }
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_trust_cli() {
    return std::make_unique<TrustCli>();
}

}  // namespace epos::cli
