#include <iomanip>

#include "cli/cli_command.hpp"
#include "cli/console.hpp"
#include "ops/discover.hpp"
#include "wire/discover_json.hpp"

namespace epos::cli {
namespace {

const char* usability(cert::Usability value) {
    return value == cert::Usability::Usable      ? "ok"
           : value == cert::Usability::Dangerous ? "DANGEROUS"
                                                 : "unusable";
}

class DiscoverCli final : public CliCommand {
  public:
    const char* name() const override { return "discover"; }
    const char* summary() const override {
        return "find the Epson ePOS printers of a network and judge their certificates";
    }
    const char* usage() const override {
        return "discover 192.168.1.0/24 | ADDRESS[:PORT]... [--port N] [--connect-timeout MS] "
               "[--json]";
    }

    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override {
        options.add_options()("target", po::value<std::vector<std::string>>()->composing(),
                              "IPv4 blocks (CIDR), addresses, address:port or https:// URLs")(
            "port", po::value<int>()->default_value(443), "the port to try where none is given")(
            "connect-timeout", po::value<int>()->default_value(1000),
            "how long an address may take to accept a connection, in ms (100-10000)");
        positional.add("target", -1);
    }

    int run(const po::variables_map& args, ops::Context& context, Output& output) override {
        if (!args.count("target")) {
            output.err << "Usage: epos-trust " << usage() << "\n";
            return 2;
        }
        const int port = args["port"].as<int>();
        const int timeout = args["connect-timeout"].as<int>();
        if (port < 1 || port > 65535 || timeout < 100 || timeout > 10000) {
            output.err << "epos-trust discover: --port must be 1-65535, --connect-timeout "
                          "100-10000\n";
            return 2;
        }
        const auto targets = ops::expand_targets(args["target"].as<std::vector<std::string>>(),
                                                 static_cast<std::uint16_t>(port));
        ops::DiscoverOptions options;
        options.connect_timeout = std::chrono::milliseconds(timeout);
        // A progress bar only for a person watching a terminal: never in --json or a pipe.
        ops::Progress progress;
        const bool tty = !output.json && stderr_is_terminal();
        if (tty) {
            progress = [&output](std::size_t done, std::size_t total, const char* phase) {
                constexpr std::size_t width = 30;
                const auto filled = total == 0 ? width : done * width / total;
                output.err << "\r" << std::setw(8) << std::left << phase << " ["
                           << std::string(filled, '#') << std::string(width - filled, '.') << "] "
                           << done << "/" << total << "   " << std::flush;
            };
        }
        const auto result = ops::discover(context, targets, options, progress);
        if (tty) {
            output.err << "\r" << std::string(60, ' ') << "\r";
        }
        if (output.json) {
            output.out << wire::to_json(result).dump(2) << "\n";
            return 0;
        }
        auto& out = output.out;
        out << "Scanned " << result.targets << " address(es) in " << result.elapsed_ms
            << " ms: " << result.open << " open, " << result.printers.size()
            << " ePOS printer(s).\n";
        for (const auto& printer : result.printers) {
            out << "\n"
                << printer.url << "  " << printer.subject << "\n  SHA-256 " << printer.sha256
                << "\n  Chrome/Edge " << usability(printer.verdict.chrome) << ", Firefox "
                << usability(printer.verdict.firefox) << ", Apple "
                << usability(printer.verdict.apple)
                << (printer.trusted_here ? "; trusted here" : "") << "\n";
            if (!printer.findings.empty()) {
                out << "  findings:";
                for (const auto& code : printer.findings) {
                    out << " " << code;
                }
                out << "\n";
            }
        }
        for (const auto& other : result.others) {
            out << "\n"
                << other.url << "  not an ePOS printer"
                << (other.error ? " (" + other.error->message + ")" : std::string()) << "\n";
        }
        for (const auto& skip : result.skipped) {
            out << "skipped " << skip.url << ": " << skip.reason << "\n";
        }
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_discover_cli() {
    return std::make_unique<DiscoverCli>();
}

}  // namespace epos::cli
