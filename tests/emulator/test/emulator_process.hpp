#pragma once

// Runs the real epos-emulator binary for a test and talks to it with real TLS clients.

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace epos::emulator::testing {

// One running emulator. The constructor waits for its JSON line; the destructor stops it.
class EmulatorProcess {
  public:
    explicit EmulatorProcess(const std::vector<std::string>& args);
    ~EmulatorProcess();
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;

    const nlohmann::json& info() const { return info_; }
    std::string address() const { return info_.at("address"); }
    int port() const { return info_.at("port"); }
    std::string sha256() const { return info_.at("sha256"); }

    // SIGTERM, then the exit status (-1 if it had to be killed after 5 s).
    int stop();

  private:
    pid_t pid_ = -1;
    nlohmann::json info_;
};

// Runs the binary to completion (for --help and bad arguments): exit status and stdout+stderr.
struct RunResult {
    int exit_status = -1;
    std::string output;
};
RunResult run_emulator_to_end(const std::vector<std::string>& args);

// What a TLS client that trusts nothing saw.
struct TlsResult {
    bool connected = false;
    std::string error;    // OpenSSL's reason when not connected
    std::string version;  // "TLSv1.1"
    std::string leaf_sha256;
    std::size_t leaf_der_bytes = 0;
    int chain_length = 0;
    std::string after_handshake;  // what the server sent back to a GET / (garbage mode)
};

struct TlsClientOptions {
    int min_version = 0;  // 0 = OpenSSL's default
    int max_version = 0;
    long max_cert_list = 0;  // 0 = OpenSSL's default (100 KiB)
    std::chrono::milliseconds timeout{3000};
    bool send_get = false;
};

TlsResult tls_connect(const std::string& address, int port, const TlsClientOptions& options);

// Connects in clear text, sends `bytes`, returns all that comes back until close or timeout.
std::string raw_exchange(const std::string& address, int port, const std::string& bytes,
                         std::chrono::milliseconds timeout);

}  // namespace epos::emulator::testing
