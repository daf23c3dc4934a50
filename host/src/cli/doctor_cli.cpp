#include "cli/cli_command.hpp"
#include "ops/doctor.hpp"
#include "wire/doctor_json.hpp"

namespace epos::cli {
namespace {

const char* state_words(const std::string& state) {
    if (state == "ok") {
        return "ok";
    }
    if (state == "missing") {
        return "missing";
    }
    if (state == "points_elsewhere") {
        return "ok, but names another epos-trust";
    }
    if (state == "broken") {
        return "BROKEN: names a missing file";
    }
    if (state == "wrong_extension") {
        return "WRONG: does not allow the epos-trust extension";
    }
    return "INVALID: not epos-trust's manifest";
}

class DoctorCli final : public CliCommand {
  public:
    const char* name() const override { return "doctor"; }
    const char* summary() const override {
        return "check this computer's set-up: browsers, manifests, databases, policy, trusted "
               "printers";
    }
    const char* usage() const override { return "doctor [--root DIR] [--json]"; }

    void add_options(po::options_description& options,
                     po::positional_options_description&) override {
        options.add_options()("root", po::value<std::string>(),
                              "look for the per-machine manifests below this folder (tests)");
    }

    int run(const po::variables_map& args, ops::Context& context, Output& output) override {
        auto env = ops::DoctorEnvironment::from_process();
        if (args.count("root")) {
            env.install.root = args["root"].as<std::string>();
        }
        const auto report = ops::doctor(context, env);
        if (output.json) {
            output.out << wire::to_json(report).dump(2) << "\n";
            return report.problems.empty() ? 0 : 3;
        }
        auto& out = output.out;
        out << "epos-trust " << EPOS_VERSION << " at " << report.host.string() << "\n";
        out << "Flush module: "
            << (report.flush_module.empty() ? std::string("not found")
                                            : report.flush_module.string())
            << "\n\nBrowsers:\n";
        for (const auto& browser : report.browsers) {
            out << "  " << browser.label << ": "
                << (browser.installed() ? browser.executable->string() : std::string("not found"))
                << (browser.host_reachable ? "; can start epos-trust"
                    : browser.installed()  ? "; CANNOT start epos-trust"
                                           : "")
                << "\n";
            for (const auto& manifest : browser.manifests) {
                const auto& state = manifest.check.state;
                if (state == "missing") {
                    continue;
                }
                out << "    " << ops::to_string(manifest.scope) << " "
                    << ops::to_string(manifest.kind) << "  " << manifest.path.string() << "  "
                    << state_words(state);
                if (!manifest.check.points_to.empty() && state != "ok") {
                    out << " (" << manifest.check.points_to << ")";
                }
                out << "\n";
            }
        }
        out << "\nCertificate databases:\n";
        if (report.databases.empty()) {
            out << "  none found\n";
        }
        for (const auto& db : report.databases) {
            out << "  " << db.browser << "  " << db.path.string() << "\n";
        }
        const auto& policy = report.policy;
        out << "\nMachine policy: " << policy.source << "; installs "
            << (policy.installs_permitted() ? "allowed" : "forbidden") << "; "
            << policy.pinned_sha256.size() << " pinned fingerprint(s)\n";
        out << "\nTrusted by epos-trust:\n";
        if (report.trusted.empty()) {
            out << "  nothing yet\n";
        }
        for (const auto& entry : report.trusted) {
            out << "  " << entry.journaled.url << "  " << entry.journaled.sha256.substr(0, 16)
                << "...  " << entry.journaled.store_id << "\n";
        }
        out << "\n";
        if (report.problems.empty()) {
            out << "No problems found.\n";
            return 0;
        }
        out << "Problems:\n";
        for (const auto& problem : report.problems) {
            out << "  - " << problem << "\n";
        }
        return 3;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_doctor_cli() {
    return std::make_unique<DoctorCli>();
}

}  // namespace epos::cli
