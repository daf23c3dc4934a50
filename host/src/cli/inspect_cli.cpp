#include "cert/names.hpp"
#include "cli/cli_command.hpp"
#include "net/target.hpp"
#include "ops/inspect.hpp"
#include "wire/inspect_json.hpp"

namespace epos::cli {
namespace {

const char* usability_words(cert::Usability usability) {
    if (usability == cert::Usability::Usable) {
        return "can use it once trusted";
    }
    if (usability == cert::Usability::Dangerous) {
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
        const auto report = ops::inspect(context, args["url"].as<std::string>());
        if (output.json) {
            output.out << wire::to_json(report).dump(2, ' ', false,
                                                     nlohmann::json::error_handler_t::replace)
                       << "\n";
            return 0;
        }
        const auto& cert = report.leaf();
        auto& out = output.out;
        out << "Printer      " << report.target.origin() << "  (" << report.tls.endpoint.address
            << ", " << net::to_string(report.tls.endpoint.address_class) << ")\n";
        out << "Epson ePOS   " << (report.epos.is_epos ? "yes" : "no, or not answering") << "\n";
        out << "TLS          " << report.tls.version_name << ", " << report.tls.cipher << "\n";
        out << "SHA-256      " << cert.sha256_grouped() << "\n";
        out << "Subject      " << cert.subject() << "\n";
        out << "Issuer       " << cert.issuer() << (cert.self_signed() ? "  (self-signed)" : "")
            << "\n";
        out << "Valid        " << cert.not_before_iso() << " to " << cert.not_after_iso() << "\n";
        out << "Names (SAN)  ";
        const bool no_san = cert.san_dns().empty() && cert.san_ips().empty();
        if (no_san) {
            out << "none";
        }
        // Every name the certificate vouches for, public ones marked: a trust covers them all.
        for (const auto& name : cert::certificate_names(cert)) {
            const bool is_public = name.scope == cert::NameScope::Public;
            if (name.value == cert.common_name() && no_san) {
                out << " (Common Name " << name.value << (is_public ? ", PUBLIC)" : ")");
                continue;
            }
            out << name.value << (is_public ? " (PUBLIC) " : " ");
        }
        out << "\nKey          " << cert.key().type << " " << cert.key().bits << " bits, "
            << cert.signature_algorithm() << ", X.509 v" << cert.version() << ", "
            << cert.basic_constraints_text() << "\n";
        const auto& verdict = report.judgement.verdict;
        out << "\nChrome/Edge  " << usability_words(verdict.chrome) << "\n";
        out << "Firefox      " << usability_words(verdict.firefox) << "\n";
        out << "Apple        " << usability_words(verdict.apple) << "\n";
        const auto& findings = report.judgement.findings;
        if (findings.empty()) {
            out << "\nNo problems found.\n";
        }
        for (const auto& finding : findings) {
            out << "\n[" << cert::to_string(finding.severity) << "] " << finding.code << ": "
                << finding.message << "\n";
            if (!finding.action.empty()) {
                out << "  What to do: " << finding.action << "\n";
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
