#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "ops/context.hpp"

namespace epos::cli {

namespace po = boost::program_options;

// Where a subcommand writes: people get sentences, scripts (--json) get the same JSON object
// as the protocol's `result`, so there is one format to learn.
struct Output {
    std::ostream& out;
    std::ostream& err;
    bool json = false;
};

// One subcommand of `epos-trust`: its options, and what it does with them.
class CliCommand {
  public:
    virtual ~CliCommand() = default;
    virtual const char* name() const = 0;
    virtual const char* summary() const = 0;
    virtual const char* usage() const = 0;  // e.g. "inspect https://HOST[:PORT]"
    virtual void add_options(po::options_description& options,
                             po::positional_options_description& positional) {
        (void)options;
        (void)positional;
    }
    // Returns the exit status. Throws epos::Failure for an operation that failed.
    virtual int run(const po::variables_map& args, ops::Context& context, Output& output) = 0;
};

// Every subcommand, in the order `epos-trust --help` lists them: the one table to extend.
std::vector<std::unique_ptr<CliCommand>> cli_commands();

// cli::run (cli/cli.hpp) with the subcommands `commands` makes (tests pass their own).
using CommandList = std::function<std::vector<std::unique_ptr<CliCommand>>()>;
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        const CommandList& commands);

// Per-command factories, each in its own <name>_cli.cpp.
std::unique_ptr<CliCommand> make_hello_cli();
std::unique_ptr<CliCommand> make_inspect_cli();
std::unique_ptr<CliCommand> make_trust_cli();
std::unique_ptr<CliCommand> make_untrust_cli();
std::unique_ptr<CliCommand> make_list_cli();
std::unique_ptr<CliCommand> make_register_cli();
std::unique_ptr<CliCommand> make_unregister_cli();
std::unique_ptr<CliCommand> make_doctor_cli();
std::unique_ptr<CliCommand> make_export_policy_cli();
std::unique_ptr<CliCommand> make_discover_cli();
std::unique_ptr<CliCommand> make_flush_chromium_cli();
std::unique_ptr<CliCommand> make_export_cert_cli();

}  // namespace epos::cli
