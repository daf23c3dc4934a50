#pragma once

#include <optional>
#include <string>
#include <vector>

namespace epos::emulator {

// How the emulated printer behaves when asked to print (docs/browser-behaviour.md §8,
// docs/epos-and-odoo.md §2.3).
enum class PrinterState { Ok, PaperEnd, CoverOpen, Offline };

// What kind of server listens on the port: a printer, or one of the hostile/broken servers the
// host must survive.
enum class Mode { Epos, NotEpos, NotTls, Stall, Garbage, HugeChain, HugeCert };

struct Options {
    std::string address = "127.0.0.25";
    int port = 0;  // 0 = ephemeral
    std::string shape = "good";
    std::optional<std::string> san;  // replaces the shape's SAN with this one address
    std::optional<std::string> cert_file;
    std::optional<std::string> key_file;
    std::string tls_min = "1.0";
    std::string tls_max = "1.3";
    PrinterState state = PrinterState::Ok;
    Mode mode = Mode::Epos;
    std::optional<std::string> print_log;
};

// The result of reading the command line: either options to run with, or text to print and an
// exit status (for --help and for bad arguments).
struct ParsedCommandLine {
    std::optional<Options> options;
    std::string message;
    int exit_status = 0;
};

ParsedCommandLine parse_command_line(const std::vector<std::string>& args);

std::string to_string(PrinterState state);
std::string to_string(Mode mode);

// "1.0" .. "1.3" -> TLS1_VERSION .. TLS1_3_VERSION; throws std::invalid_argument otherwise.
int tls_version_from_text(const std::string& text);

}  // namespace epos::emulator
