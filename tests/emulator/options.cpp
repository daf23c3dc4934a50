#include "options.hpp"

#include <openssl/ssl.h>

#include <array>
#include <boost/program_options.hpp>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace epos::emulator {
namespace po = boost::program_options;

namespace {

constexpr std::array<std::pair<PrinterState, const char*>, 4> kStates{{
    {PrinterState::Ok, "ok"},
    {PrinterState::PaperEnd, "paper-end"},
    {PrinterState::CoverOpen, "cover-open"},
    {PrinterState::Offline, "offline"},
}};

constexpr std::array<std::pair<Mode, const char*>, 7> kModes{{
    {Mode::Epos, "epos"},
    {Mode::NotEpos, "not-epos"},
    {Mode::NotTls, "not-tls"},
    {Mode::Stall, "stall"},
    {Mode::Garbage, "garbage"},
    {Mode::HugeChain, "huge-chain"},
    {Mode::HugeCert, "huge-cert"},
}};

template <typename Enum, std::size_t N>
Enum parse_enum(const std::array<std::pair<Enum, const char*>, N>& table, const std::string& text,
                const char* what) {
    for (const auto& [value, name] : table) {
        if (text == name) {
            return value;
        }
    }
    std::string known;
    for (const auto& entry : table) {
        known += (known.empty() ? "" : ", ") + std::string(entry.second);
    }
    throw std::invalid_argument("unknown " + std::string(what) + " '" + text + "' (one of " +
                                known + ")");
}

template <typename Enum, std::size_t N>
std::string enum_name(const std::array<std::pair<Enum, const char*>, N>& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) {
            return name;
        }
    }
    return "?";
}

const char* kUsage =
    "epos-emulator: an Epson ePOS-Print printer (TM-m30III look-alike) for tests, on loopback.\n"
    "\n"
    "Usage: epos-emulator [options]\n"
    "When listening it prints one JSON line to stdout:\n"
    "  {\"url\",\"address\",\"port\",\"sha256\",\"sha1\",\"pem\",\"shape\",\"mode\",\"state\"}\n"
    "then logs to stderr until SIGTERM or SIGINT.\n";

}  // namespace

std::string to_string(PrinterState state) {
    return enum_name(kStates, state);
}
std::string to_string(Mode mode) {
    return enum_name(kModes, mode);
}

int tls_version_from_text(const std::string& text) {
    if (text == "1.0") {
        return TLS1_VERSION;
    }
    if (text == "1.1") {
        return TLS1_1_VERSION;
    }
    if (text == "1.2") {
        return TLS1_2_VERSION;
    }
    if (text == "1.3") {
        return TLS1_3_VERSION;
    }
    throw std::invalid_argument("unknown TLS version '" + text + "' (1.0, 1.1, 1.2 or 1.3)");
}

ParsedCommandLine parse_command_line(const std::vector<std::string>& args) {
    Options options;
    std::string state = "ok";
    std::string mode = "epos";
    po::options_description described("Options");
    // clang-format off
    described.add_options()
        ("help,h", "show this help")
        ("address", po::value(&options.address)->default_value(options.address),
         "IPv4 address to listen on; tests use 127.0.0.0/8 only")
        ("port", po::value(&options.port)->default_value(0), "TCP port, 0 = ephemeral")
        ("shape", po::value(&options.shape)->default_value(options.shape),
         "certificate shape made at start (tests/support/cert_factory.hpp: good, no-san, "
         "wrong-san, ca-true, no-basic-constraints, v1, sha1, rsa1024, expired, not-yet-valid, "
         "long-validity, ecdsa, ed25519, dns-san, no-eku, epson-like, too-broad)")
        ("san", po::value<std::string>(), "put this one IP address (or DNS name) in the SAN instead")
        ("cert", po::value<std::string>(), "serve this PEM certificate instead of making one")
        ("key", po::value<std::string>(), "PEM private key for --cert")
        ("tls-min", po::value(&options.tls_min)->default_value(options.tls_min),
         "lowest TLS version accepted: 1.0, 1.1, 1.2, 1.3")
        ("tls-max", po::value(&options.tls_max)->default_value(options.tls_max),
         "highest TLS version accepted")
        ("state", po::value(&state)->default_value(state),
         "printer state: ok, paper-end, cover-open, offline")
        ("mode", po::value(&mode)->default_value(mode),
         "epos (a printer), not-epos (TLS server without ePOS), not-tls (clear-text HTTP), "
         "stall (never answers the handshake), garbage (TLS, then garbage), huge-chain "
         "(100-certificate chain), huge-cert (~1 MiB certificate)")
        ("print-log", po::value<std::string>(), "append every accepted print here as a JSON line");
    // clang-format on

    ParsedCommandLine parsed;
    try {
        po::variables_map values;
        po::store(po::command_line_parser(args).options(described).run(), values);
        po::notify(values);
        if (values.count("help") != 0) {
            std::ostringstream text;
            text << kUsage << "\n" << described;
            parsed.message = text.str();
            return parsed;
        }
        if (values.count("san") != 0) {
            options.san = values["san"].as<std::string>();
        }
        if (values.count("cert") != 0) {
            options.cert_file = values["cert"].as<std::string>();
        }
        if (values.count("key") != 0) {
            options.key_file = values["key"].as<std::string>();
        }
        if (values.count("print-log") != 0) {
            options.print_log = values["print-log"].as<std::string>();
        }
        if (options.cert_file.has_value() != options.key_file.has_value()) {
            throw std::invalid_argument("--cert and --key go together");
        }
        if (options.cert_file && mode == "huge-cert") {
            throw std::invalid_argument("--mode huge-cert makes its own certificate; drop --cert");
        }
        if (options.port < 0 || options.port > 65535) {
            throw std::invalid_argument("--port must be 0..65535");
        }
        options.state = parse_enum(kStates, state, "state");
        options.mode = parse_enum(kModes, mode, "mode");
        if (tls_version_from_text(options.tls_min) > tls_version_from_text(options.tls_max)) {
            throw std::invalid_argument("--tls-min is above --tls-max");
        }
        parsed.options = options;
    } catch (const std::exception& error) {
        parsed.message = std::string("epos-emulator: ") + error.what() + "\n(see --help)\n";
        parsed.exit_status = 2;
    }
    return parsed;
}

}  // namespace epos::emulator
