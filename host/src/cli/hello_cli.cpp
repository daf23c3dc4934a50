#include "cli/cli_command.hpp"
#include "ops/hello.hpp"

namespace epos::cli {
namespace {

class HelloCli final : public CliCommand {
  public:
    const char* name() const override { return "hello"; }
    const char* summary() const override {
        return "show the version, the trust stores found and the machine policy";
    }
    const char* usage() const override { return "hello [--json]"; }

    int run(const po::variables_map&, ops::Context& context, Output& output) override {
        const auto result = ops::hello(context);
        if (output.json) {
            output.out << result.dump(2) << "\n";
            return 0;
        }
        output.out << "epos-trust " << result["version"].get<std::string>() << " on "
                   << result["os"].get<std::string>() << " (protocol "
                   << result["protocol"].get<int>() << ")\n";
        output.out << "Trust stores:\n";
        if (result["stores"].empty()) {
            output.out << "  none found\n";
        }
        for (const auto& store : result["stores"]) {
            output.out << "  " << store["label"].get<std::string>() << "  ("
                       << store["location"].get<std::string>() << ")\n";
        }
        const auto& policy = result["policy"];
        output.out << "Policy (" << policy["source"].get<std::string>() << "): networks";
        for (const auto& network : policy["allowed_networks"]) {
            output.out << " " << network.get<std::string>();
        }
        output.out << "; installs "
                   << (policy["installs_allowed"].get<bool>() ? "allowed" : "forbidden") << "; "
                   << policy["pinned_sha256"].size() << " pinned fingerprint(s)\n";
        if (policy.contains("error")) {
            output.out << "  REFUSED: " << policy["error"].get<std::string>() << "\n";
        }
        output.out << "Chromium flush helper: "
                   << (result["chromium_flush"].get<bool>()
                           ? "present (flush-chromium avoids a browser restart)"
                           : "absent (a browser restart applies a trust Chromium had refused)")
                   << "\n";
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_hello_cli() {
    return std::make_unique<HelloCli>();
}

}  // namespace epos::cli
