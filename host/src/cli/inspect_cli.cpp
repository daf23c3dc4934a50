#include "cli/cli_command.hpp"
#include "ops/inspect.hpp"
#include "wire/inspect_json.hpp"

namespace epos::cli {
namespace {

const char* usability_words(const std::string& usability) {
    if (usability == "usable") {
        return "can use it once trusted";
    }
    if (usability == "dangerous") {
        return "must not trust it (it could vouch for other websites)";
    }
    return "cannot use it, even trusted";
}

class InspectCli final : public CliCommand {
  public:
    const char* name() const override { return "inspect"; }
    const char* summary() const override {
        return "fetch a printer's certificate (trusting nothing) and say what is wrong with it";
    }
    const char* usage() const override { return "inspect https://HOST[:PORT] [--json]"; }

    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override {
        options.add_options()("url", po::value<std::string>()->required(),
                              "the printer's https:// address");
        positional.add("url", 1);
    }

    int run(const po::variables_map& args, ops::Context& context, Output& output) override {
        const auto report = wire::to_json(ops::inspect(context, args["url"].as<std::string>()));
        if (output.json) {
            output.out << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                       << "\n";
            return 0;
        }
        const auto& target = report["target"];
        const auto& cert = report["certificate"];
        auto& out = output.out;
        out << "Printer      " << target["url"].get<std::string>() << "  ("
            << target["address"].get<std::string>() << ", "
            << target["address_class"].get<std::string>() << ")\n";
        out << "Epson ePOS   "
            << (report["epos"]["is_epos"].get<bool>() ? "yes" : "no, or not answering") << "\n";
        out << "TLS          " << report["tls"]["version"].get<std::string>() << ", "
            << report["tls"]["cipher"].get<std::string>() << "\n";
        out << "SHA-256      " << cert["sha256_grouped"].get<std::string>() << "\n";
        out << "Subject      " << cert["subject"].get<std::string>() << "\n";
        out << "Issuer       " << cert["issuer"].get<std::string>()
            << (cert["self_signed"].get<bool>() ? "  (self-signed)" : "") << "\n";
        out << "Valid        " << cert["not_before"].get<std::string>() << " to "
            << cert["not_after"].get<std::string>() << "\n";
        out << "Names (SAN)  ";
        const auto& san = cert["san"];
        if (san["dns"].empty() && san["ip"].empty()) {
            out << "none";
        }
        // Every name the certificate vouches for, public ones marked: a trust covers them all.
        for (const auto& name : cert["names"]) {
            if (name["value"] == cert["common_name"] && san["dns"].empty() && san["ip"].empty()) {
                out << " (Common Name " << name["value"].get<std::string>()
                    << (name["scope"] == "public" ? ", PUBLIC)" : ")");
                continue;
            }
            out << name["value"].get<std::string>()
                << (name["scope"] == "public" ? " (PUBLIC) " : " ");
        }
        out << "\nKey          " << cert["key"]["type"].get<std::string>() << " "
            << cert["key"]["bits"].get<int>() << " bits, "
            << cert["signature_algorithm"].get<std::string>() << ", X.509 v"
            << cert["version"].get<int>() << ", " << cert["basic_constraints"].get<std::string>()
            << "\n";
        out << "\nChrome/Edge  " << usability_words(report["verdict"]["chrome"]) << "\n";
        out << "Firefox      " << usability_words(report["verdict"]["firefox"]) << "\n";
        out << "Apple        " << usability_words(report["verdict"]["apple"]) << "\n";
        if (report["findings"].empty()) {
            out << "\nNo problems found.\n";
        }
        for (const auto& finding : report["findings"]) {
            out << "\n[" << finding["severity"].get<std::string>() << "] "
                << finding["code"].get<std::string>() << ": "
                << finding["message"].get<std::string>() << "\n";
            if (!finding["action"].get<std::string>().empty()) {
                out << "  What to do: " << finding["action"].get<std::string>() << "\n";
            }
        }
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_inspect_cli() {
    return std::make_unique<InspectCli>();
}

}  // namespace epos::cli
