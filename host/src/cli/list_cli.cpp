#include "cli/cli_command.hpp"
#include "ops/list.hpp"
#include "wire/list_json.hpp"

namespace epos::cli {
namespace {

class ListCli final : public CliCommand {
  public:
    const char* name() const override { return "list"; }
    const char* summary() const override {
        return "list the printers epos-trust has trusted, and whether each is still installed";
    }
    const char* usage() const override { return "list [--json]"; }

    int run(const po::variables_map&, ops::Context& context, Output& output) override {
        const auto result = ops::list(context);
        if (output.json) {
            output.out << wire::to_json(result).dump(2) << "\n";
            return 0;
        }
        if (result.entries.empty()) {
            output.out << "epos-trust has not trusted any printer.\n";
        }
        for (const auto& entry : result.entries) {
            const auto& journaled = entry.journaled;
            output.out << journaled.url << "  " << journaled.sha256 << "\n  " << journaled.store_id
                       << "  " << journaled.installed_at << "  "
                       << (!entry.present   ? "cannot read the store now"
                           : *entry.present ? "present"
                                            : "MISSING (removed by someone else)")
                       << "\n";
            if (entry.too_broad() == true) {
                std::string names;
                for (const auto& name : *entry.public_names) {
                    names += (names.empty() ? "" : ", ") + name;
                }
                output.out << "  TOO BROAD: the certificate also vouches for " << names
                           << "; remove it: epos-trust untrust " << journaled.sha256 << "\n";
            }
        }
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_list_cli() {
    return std::make_unique<ListCli>();
}

}  // namespace epos::cli
