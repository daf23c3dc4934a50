#include "cli/cli_command.hpp"
#include "ops/list.hpp"

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
            output.out << result.dump(2) << "\n";
            return 0;
        }
        if (result["entries"].empty()) {
            output.out << "epos-trust has not trusted any printer.\n";
        }
        for (const auto& entry : result["entries"]) {
            const auto& present = entry["present"];
            output.out << entry["url"].get<std::string>() << "  "
                       << entry["sha256"].get<std::string>() << "\n  "
                       << entry["store"].get<std::string>() << "  "
                       << entry["installed_at"].get<std::string>() << "  "
                       << (present.is_null()     ? "cannot read the store now"
                           : present.get<bool>() ? "present"
                                                 : "MISSING (removed by someone else)")
                       << "\n";
            if (entry.value("too_broad", false) == true) {
                std::string names;
                for (const auto& name : entry["public_names"]) {
                    names += (names.empty() ? "" : ", ") + name.get<std::string>();
                }
                output.out << "  TOO BROAD: the certificate also vouches for " << names
                           << "; remove it: epos-trust untrust "
                           << entry["sha256"].get<std::string>() << "\n";
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
