#include "cli/cli.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_command.hpp"
#include "ops/hello.hpp"
#include "policy/machine_policy.hpp"
#include "util/error_codes.hpp"
#include "util/failure.hpp"
#include "util/log.hpp"

namespace epos::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void print_overview(std::ostream& out, const std::vector<std::unique_ptr<CliCommand>>& commands) {
    out << "epos-trust " << EPOS_VERSION
        << ": trust an Epson ePOS printer's self-signed certificate in this computer's "
           "browsers.\n\n"
           "Usage: epos-trust <command> [options]\n       epos-trust <command> --help\n\n"
           "Commands:\n";
    for (const auto& command : commands) {
        std::string name = command->name();
        name.resize(16, ' ');
        out << "  " << name << command->summary() << "\n";
    }
    out << "\nThe browser extension starts epos-trust as its native messaging host; run it by "
           "hand\n"
           "to check a printer or to script what the extension does.\n";
}

po::options_description common_options(bool& json, int& timeout_ms, std::string& log_file) {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help")(
        "json", po::bool_switch(&json), "print the result as JSON (the protocol's result object)")(
        "timeout", po::value<int>(&timeout_ms)->default_value(3000),
        "connect and TLS handshake timeout, in milliseconds")(
        "log-file", po::value<std::string>(&log_file),
        "also append diagnostics to this file (like EPOS_TRUST_LOG)");
    return options;
}

// What the face says of a failure: the error object on stdout for --json (the protocol's error,
// docs/protocol.md), a sentence on stderr otherwise. `name`: the subcommand, "" when unknown.
int report(const Failure& failure, const std::string& name, bool json, std::ostream& out,
           std::ostream& err) {
    const std::string who = name.empty() ? "epos-trust" : "epos-trust " + name;
    if (!errors::is_registered(failure.code())) {
        err << who << ": error code \"" << failure.code() << "\" is not in util/error_codes.hpp\n";
    }
    if (json) {
        nlohmann::json error = {{"code", failure.code()}, {"message", failure.what()}};
        if (failure.details().is_object()) {
            error["details"] = failure.details();
        }
        out << nlohmann::json{{"error", error}}.dump(2, ' ', false,
                                                     nlohmann::json::error_handler_t::replace)
            << "\n";
    } else {
        err << who << ": " << failure.what() << " [" << failure.code() << "]\n";
    }
    return kExitFailure;
}

// run, save for its last guard. `name` and `json` are set as soon as they are known, so that
// the guard answers in the form asked for.
int run_unguarded(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
                  const CommandList& list, std::string& name_out, bool& json_out) {
    auto commands = list();
    if (argc < 2) {
        print_overview(err, commands);
        return kExitUsage;
    }
    const std::string name = argv[1];
    name_out = name;
    if (name == "--help" || name == "-h" || name == "help") {
        print_overview(out, commands);
        return 0;
    }
    if (name == "--version") {
        out << "epos-trust " << EPOS_VERSION << " (protocol " << ops::kProtocolVersion << ")\n";
        return 0;
    }
    CliCommand* command = nullptr;
    for (const auto& candidate : commands) {
        if (name == candidate->name()) {
            command = candidate.get();
        }
    }
    if (command == nullptr) {
        err << "epos-trust: unknown command \"" << name << "\". Run epos-trust --help.\n";
        return kExitUsage;
    }

    const bool& json = json_out;
    int timeout_ms = 3000;
    std::string log_file;
    po::options_description options = common_options(json_out, timeout_ms, log_file);
    po::positional_options_description positional;
    command->add_options(options, positional);
    po::variables_map args;
    try {
        po::store(po::command_line_parser(argc - 1, argv + 1)
                      .options(options)
                      .positional(positional)
                      .run(),
                  args);
        if (args.count("help")) {
            out << "Usage: epos-trust " << command->usage() << "\n\n"
                << command->summary() << "\n\n"
                << options;
            return 0;
        }
        po::notify(args);
        if (!log_file.empty()) {
            log::open_file(log_file);
        }
    } catch (const po::error& e) {
        err << "epos-trust " << name << ": " << e.what() << "\nUsage: epos-trust "
            << command->usage() << "\n";
        return kExitUsage;
    }
    if (timeout_ms < 1 || timeout_ms > 60000) {
        err << "epos-trust " << name << ": --timeout must be between 1 and 60000 ms\n";
        return kExitUsage;
    }

    ops::Context context;
    context.policy = policy::load_machine_policy();
    context.timeouts.connect = context.timeouts.handshake = std::chrono::milliseconds(timeout_ms);
    Output output{out, err, json};
    try {
        return command->run(args, context, output);
    } catch (const Failure& failure) {
        return report(failure, name, json, out, err);
    }
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    return run(argc, argv, out, err, cli_commands);
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        const CommandList& commands) {
    std::string name;
    bool json = false;
    // A bug rather than a failure anyone planned for (a std::bad_alloc, a JSON library's
    // exception, a thrown value that is not even a std::exception): still an answer and exit
    // status 1, never an abort. Anywhere: the options, the policy, the command.
    try {
        try {
            return run_unguarded(argc, argv, out, err, commands, name, json);
        } catch (const Failure& failure) {
            return report(failure, name, json, out, err);  // e.g. the machine policy's
        } catch (const std::exception& e) {
            return report(Failure("internal", std::string("Internal error: ") + e.what()), name,
                          json, out, err);
        } catch (...) {
            return report(Failure("internal", "Internal error: an unknown exception"), name, json,
                          out, err);
        }
    } catch (...) {
        return kExitFailure;  // not even the report could be written (no memory)
    }
}

}  // namespace epos::cli
