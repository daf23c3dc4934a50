#include "emulator_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace epos::emulator::testing {
namespace {

// A server that closes first must fail the client's next write, not kill the test binary.
const bool kSigpipeIgnored = [] {
    signal(SIGPIPE, SIG_IGN);
    return true;
}();

std::vector<char*> argv_of(const std::string& program, std::vector<std::string>& args) {
    args.insert(args.begin(), program);
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    return argv;
}

int wait_with_timeout(pid_t pid, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Connects a TCP socket with a timeout; -1 on failure.
int connect_tcp(const std::string& address, int port, std::chrono::milliseconds timeout) {
    sockaddr_in target{};
    target.sin_family = AF_INET;
    target.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &target.sin_addr) != 1) {
        return -1;
    }
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

std::string hex_sha256(X509* cert) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    X509_digest(cert, EVP_sha256(), digest, &length);
    static const char* kHex = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += kHex[digest[i] >> 4];
        text += kHex[digest[i] & 0x0f];
    }
    return text;
}

std::string last_openssl_error() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return "no OpenSSL error (timeout or closed)";
    }
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

}  // namespace

EmulatorProcess::EmulatorProcess(const std::vector<std::string>& args) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<std::string> arguments = args;
    std::vector<char*> argv = argv_of(EPOS_EMULATOR_PATH, arguments);
    const int spawned =
        posix_spawn(&pid_, EPOS_EMULATOR_PATH, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
        close(out[0]);
        throw std::runtime_error("cannot start " + std::string(EPOS_EMULATOR_PATH));
    }
    // Read the one JSON line (certificate making can take a moment: allow 30 s).
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos) {
        pollfd fd{out[0], POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
            break;
        }
        char buffer[65536];
        const ssize_t got = read(out[0], buffer, sizeof buffer);
        if (got <= 0) {
            break;
        }
        line.append(buffer, static_cast<std::size_t>(got));
    }
    close(out[0]);
    if (line.find('\n') == std::string::npos) {
        stop();
        throw std::runtime_error("epos-emulator printed no JSON line");
    }
    info_ = nlohmann::json::parse(line.substr(0, line.find('\n')));
}

EmulatorProcess::~EmulatorProcess() {
    stop();
}

int EmulatorProcess::stop() {
    if (pid_ <= 0) {
        return -1;
    }
    kill(pid_, SIGTERM);
    const int status = wait_with_timeout(pid_, std::chrono::seconds(5));
    pid_ = -1;
    return status;
}

RunResult run_emulator_to_end(const std::vector<std::string>& args) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    std::vector<std::string> arguments = args;
    std::vector<char*> argv = argv_of(EPOS_EMULATOR_PATH, arguments);
    pid_t pid = -1;
    const int spawned =
        posix_spawn(&pid, EPOS_EMULATOR_PATH, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    RunResult result;
    if (spawned != 0) {
        close(out[0]);
        return result;
    }
    char buffer[4096];
    ssize_t got = 0;
    while ((got = read(out[0], buffer, sizeof buffer)) > 0) {
        result.output.append(buffer, static_cast<std::size_t>(got));
    }
    close(out[0]);
    result.exit_status = wait_with_timeout(pid, std::chrono::seconds(10));
    return result;
}

TlsResult tls_connect(const std::string& address, int port, const TlsClientOptions& options) {
    TlsResult result;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                          SSL_CTX_free);
    // Trust nothing, refuse nothing: like the host's probe, this client must see weak servers.
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_security_level(ctx.get(), 0);
    SSL_CTX_set_cipher_list(ctx.get(), "DEFAULT:@SECLEVEL=0");
    if (options.min_version != 0) {
        SSL_CTX_set_min_proto_version(ctx.get(), options.min_version);
    } else {
        SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
    }
    if (options.max_version != 0) {
        SSL_CTX_set_max_proto_version(ctx.get(), options.max_version);
    }
    if (options.max_cert_list != 0) {
        SSL_CTX_set_max_cert_list(ctx.get(), options.max_cert_list);
    }
    const int fd = connect_tcp(address, port, options.timeout);
    if (fd < 0) {
        result.error = "connect failed";
        return result;
    }
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    SSL_set_fd(ssl.get(), fd);
    if (SSL_connect(ssl.get()) != 1) {
        result.error = last_openssl_error();
        ssl.reset();
        close(fd);
        return result;
    }
    result.connected = true;
    result.version = SSL_get_version(ssl.get());
    if (X509* leaf = SSL_get1_peer_certificate(ssl.get())) {
        result.leaf_sha256 = hex_sha256(leaf);
        result.leaf_der_bytes = static_cast<std::size_t>(i2d_X509(leaf, nullptr));
        X509_free(leaf);
    }
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get())) {
        result.chain_length = sk_X509_num(chain);
    }
    if (options.send_get) {
        const std::string get = "GET / HTTP/1.1\r\nHost: " + address + "\r\n\r\n";
        SSL_write(ssl.get(), get.data(), static_cast<int>(get.size()));
        char buffer[8192];
        int got = 0;
        while ((got = SSL_read(ssl.get(), buffer, sizeof buffer)) > 0) {
            result.after_handshake.append(buffer, static_cast<std::size_t>(got));
        }
    }
    SSL_shutdown(ssl.get());
    ssl.reset();
    close(fd);
    return result;
}

std::string raw_exchange(const std::string& address, int port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
    const int fd = connect_tcp(address, port, timeout);
    if (fd < 0) {
        return {};
    }
    send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    std::string answer;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = recv(fd, buffer, sizeof buffer, 0)) > 0) {
        answer.append(buffer, static_cast<std::size_t>(got));
    }
    close(fd);
    return answer;
}

}  // namespace epos::emulator::testing
