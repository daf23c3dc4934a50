#include "cli/cli_command.hpp"
#include "ops/hello.hpp"
#include "util/address_class.hpp"
#include "wire/hello_json.hpp"

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
            output.out << wire::to_json(result).dump(2) << "\n";
            return 0;
        }
        output.out << "epos-trust " << result.version << " on " << result.os << " (protocol "
                   << result.protocol << ")\n";
        output.out << "Trust stores:\n";
        if (result.stores.empty()) {
            output.out << "  none found\n";
        }
        for (const auto& store : result.stores) {
            output.out << "  " << store.label << "  (" << store.location << ")\n";
        }
        const auto& policy = result.policy;
        output.out << "Policy (" << policy.source << "): networks";
        for (const auto network : policy.allowed_networks) {
            output.out << " " << to_string(network);
        }
        output.out << "; installs " << (policy.installs_permitted() ? "allowed" : "forbidden")
                   << "; " << policy.pinned_sha256.size() << " pinned fingerprint(s)\n";
        if (!policy.error.empty()) {
            output.out << "  REFUSED: " << policy.error << "\n";
        }
        output.out << "Chromium flush helper: "
                   << (result.chromium_flush
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
