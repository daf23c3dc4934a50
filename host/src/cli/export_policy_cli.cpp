#include <fstream>

#include "cli/cli_command.hpp"
#include "ops/export_policy.hpp"
#include "util/failure.hpp"

namespace epos::cli {
namespace {

class ExportPolicyCli final : public CliCommand {
  public:
    const char* name() const override { return "export-policy"; }
    const char* summary() const override {
        return "turn trusted printers (or these printer URLs) into pinned-fingerprint policy";
    }
    const char* usage() const override {
        return "export-policy [https://PRINTER...] [--format host|chrome|firefox|macos|reg] "
               "[--out FILE] [--json]";
    }

    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override {
        options.add_options()("url", po::value<std::vector<std::string>>()->composing(),
                              "printers to inspect now (default: the ones trusted here)")(
            "format", po::value<std::string>(), "one format only (default: every format)")(
            "out", po::value<std::string>(), "write the one --format document to this file");
        positional.add("url", -1);
    }

    int run(const po::variables_map& args, ops::Context& context, Output& output) override {
        const auto set =
            args.count("url")
                ? ops::printers_from_urls(context, args["url"].as<std::vector<std::string>>())
                : ops::printers_from_journal(context,
                                             store::Journal(store::default_journal_path()));
        std::vector<std::string> formats = ops::export_formats();
        if (args.count("format")) {
            formats = {args["format"].as<std::string>()};
        }
        if (args.count("out") && !args.count("format")) {
            throw Failure("bad_request", "--out needs --format: one file holds one format.");
        }
        nlohmann::json documents = nlohmann::json::object();
        for (const auto& format : formats) {
            documents[format] = ops::render_export(set, format);
        }
        for (const auto& refused : set.refused) {
            output.err << "not exported: " << refused.url << ": " << refused.reason << "\n";
        }
        if (set.printers.empty()) {
            throw Failure("nothing_to_export", args.count("url")
                                                   ? "None of these printers can be pinned."
                                                   : "epos-trust has trusted no printer on this "
                                                     "computer; name printer URLs to inspect.");
        }
        if (args.count("out")) {
            const auto path = args["out"].as<std::string>();
            std::ofstream file(path, std::ios::binary | std::ios::trunc);
            file << documents[formats.front()].get<std::string>();
            file.close();
            if (!file) {
                throw Failure("unwritable", "Cannot write " + path + ".");
            }
        }
        if (output.json) {
            nlohmann::json printers = nlohmann::json::array();
            for (const auto& printer : set.printers) {
                printers.push_back({{"url", printer.url}, {"sha256", printer.sha256}});
            }
            nlohmann::json refused = nlohmann::json::array();
            for (const auto& printer : set.refused) {
                refused.push_back(
                    {{"url", printer.url}, {"code", printer.code}, {"reason", printer.reason}});
            }
            output.out << nlohmann::json{{"printers", printers},
                                         {"refused", refused},
                                         {"documents", documents}}
                              .dump(2)
                       << "\n";
        } else if (!args.count("out")) {
            for (const auto& format : formats) {
                if (formats.size() > 1) {
                    output.out << "==== " << format << " ====\n";
                }
                output.out << documents[format].get<std::string>();
            }
        } else {
            output.out << set.printers.size() << " printer(s) pinned in "
                       << args["out"].as<std::string>() << "\n";
        }
        return set.refused.empty() ? 0 : 4;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_export_policy_cli() {
    return std::make_unique<ExportPolicyCli>();
}

}  // namespace epos::cli
