// epos-emulator: an Epson ePOS-Print printer, or a hostile server in its place, for tests.
// See README.md in this folder.

#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "garbage_mode.hpp"
#include "identity.hpp"
#include "not_tls_mode.hpp"
#include "options.hpp"
#include "print_log.hpp"
#include "printer_routes.hpp"
#include "raw_socket.hpp"
#include "shutdown_signals.hpp"
#include "stall_mode.hpp"
#include "tls_context.hpp"

namespace epos::emulator {
namespace {

// The one line on stdout that tests and the browser harness read to find the printer.
void announce(const Options& options, const PrinterIdentity& identity, int port) {
    const bool ipv6 = options.address.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + options.address + "]" : options.address;
    const nlohmann::json line = {{"url", "https://" + host + ":" + std::to_string(port)},
                                 {"address", options.address},
                                 {"port", port},
                                 {"sha256", identity.sha256},
                                 {"sha1", identity.sha1},
                                 {"pem", identity.cert_pem},
                                 {"shape", identity.shape},
                                 {"mode", to_string(options.mode)},
                                 {"state", to_string(options.state)}};
    std::cout << line.dump() << std::endl;  // endl: flushed, the reader waits for it
}

int run_https_printer(const Options& options, const PrinterIdentity& identity,
                      ShutdownSignals& signals) {
    std::string tls_error;
    httplib::SSLServer server([&](SSL_CTX& ctx) {
        return configure_tls(ctx, identity, tls_version_from_text(options.tls_min),
                             tls_version_from_text(options.tls_max), tls_error);
    });
    if (!server.is_valid()) {
        std::cerr << "epos-emulator: " << tls_error << '\n';
        return 1;
    }
    PrintLog log(options.print_log);
    mount_printer_routes(server, options, identity, log);
    const int port = options.port == 0
                         ? server.bind_to_any_port(options.address)
                         : (server.bind_to_port(options.address, options.port) ? options.port : -1);
    if (port <= 0) {
        std::cerr << "epos-emulator: cannot listen on " << options.address << ":" << options.port
                  << '\n';
        return 1;
    }
    // A stop that comes before listen_after_bind() is running would be lost (Server::stop only
    // acts on a running server), and a test may send SIGTERM right after reading the JSON line.
    const auto armed = signals.arm([&server] {
        for (int waited = 0; waited < 1000 && !server.is_running(); ++waited) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        server.stop();
    });
    announce(options, identity, port);
    server.listen_after_bind();
    return 0;
}

int run_raw_mode(const Options& options, const PrinterIdentity& identity,
                 ShutdownSignals& signals) {
    TcpListener listener(options.address, options.port);
    StopPipe stop;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()),
                                                          SSL_CTX_free);
    std::string tls_error;
    if (!ctx || !configure_tls(*ctx, identity, tls_version_from_text(options.tls_min),
                               tls_version_from_text(options.tls_max), tls_error)) {
        std::cerr << "epos-emulator: " << tls_error << '\n';
        return 1;
    }
    const auto armed = signals.arm([&stop] { stop.notify(); });
    announce(options, identity, listener.port());
    switch (options.mode) {
        case Mode::Stall:
            run_stall_mode(listener, stop);
            break;
        case Mode::Garbage:
            run_garbage_mode(listener, stop, *ctx);
            break;
        default:
            run_not_tls_mode(listener, stop);
            break;
    }
    return 0;
}

int run(const Options& options) {
    ShutdownSignals signals;   // first: blocks SIGTERM/SIGINT before any thread exists
    signal(SIGPIPE, SIG_IGN);  // a client that leaves mid-answer is not a reason to die
    const PrinterIdentity identity = make_identity(options);
    std::cerr << "epos-emulator: " << to_string(options.mode) << " on " << options.address
              << ", certificate " << identity.shape << " sha256 " << identity.sha256 << " ("
              << identity.der_size << " bytes"
              << (identity.extra_chain_pem.empty()
                      ? std::string()
                      : ", chain of " + std::to_string(identity.extra_chain_pem.size() + 1))
              << ")\n";
    switch (options.mode) {
        case Mode::Stall:
        case Mode::Garbage:
        case Mode::NotTls:
            return run_raw_mode(options, identity, signals);
        default:
            return run_https_printer(options, identity, signals);
    }
}

}  // namespace
}  // namespace epos::emulator

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto parsed = epos::emulator::parse_command_line(args);
    if (!parsed.options) {
        (parsed.exit_status == 0 ? std::cout : std::cerr) << parsed.message;
        return parsed.exit_status;
    }
    try {
        return epos::emulator::run(*parsed.options);
    } catch (const std::exception& error) {
        std::cerr << "epos-emulator: " << error.what() << '\n';
        return 1;
    }
}
