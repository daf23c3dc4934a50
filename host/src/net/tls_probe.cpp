#include "net/tls_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "util/failure.hpp"

namespace epos::net {
namespace {

using Clock = TlsConnection::Clock;

struct SslCtxDeleter {
    void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};

class Socket {
  public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }
    void reset(int fd) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

  private:
    int fd_;
};

std::string openssl_error() {
    const unsigned long code = ERR_get_error();
    if (code == 0) {
        return "unknown TLS error";
    }
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    ERR_clear_error();
    return buffer;
}

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

std::string where(const Target& target, const Endpoint& endpoint) {
    std::string text = endpoint.ipv6 ? "[" + endpoint.address + "]" : endpoint.address;
    text += ":" + std::to_string(target.port);
    if (!target.host_is_ip) {
        text = target.host + " (" + text + ")";
    }
    return text;
}

int connect_with_timeout(const Target& target, const Endpoint& endpoint,
                         std::chrono::milliseconds timeout) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (endpoint.ipv6) {
        auto* sa = reinterpret_cast<sockaddr_in6*>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(target.port);
        inet_pton(AF_INET6, endpoint.address.c_str(), &sa->sin6_addr);
        length = sizeof *sa;
    } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(target.port);
        inet_pton(AF_INET, endpoint.address.c_str(), &sa->sin_addr);
        length = sizeof *sa;
    }
    const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw Failure("internal", std::string("socket(): ") + std::strerror(errno));
    }
    Socket guard(fd);
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
        if (errno != EINPROGRESS) {
            throw Failure("unreachable", "Could not connect to the printer at " +
                                             where(target, endpoint) + ": " + std::strerror(errno) +
                                             ".");
        }
        pollfd pfd{fd, POLLOUT, 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
        if (ready == 0) {
            throw Failure("timeout", "The printer at " + where(target, endpoint) +
                                         " did not accept a connection within " +
                                         std::to_string(timeout.count()) +
                                         " ms. Is it switched on and on this network?");
        }
        int error = 0;
        socklen_t error_length = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_length);
        if (ready < 0 || error != 0) {
            throw Failure("unreachable", "Could not connect to the printer at " +
                                             where(target, endpoint) + ": " +
                                             std::strerror(error ? error : errno) + ".");
        }
    }
    return guard.release();
}

SSL_CTX* make_context() {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == nullptr) {
        throw Failure("internal", "Could not create a TLS context: " + openssl_error());
    }
    // Trust nothing, verify nothing: this connection only looks at what the printer presents.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    // Old printers may speak only TLS 1.0/1.1 or use 1024-bit keys and SHA-1; let the handshake
    // succeed so that the findings can tell the person exactly that (browsers will refuse it).
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    // Bound what a hostile server can make us hold: OpenSSL's default 100 KiB per certificate
    // message is plenty for a printer and refuses a 1 MiB certificate during the handshake.
    SSL_CTX_set_max_cert_list(ctx, 100 * 1024);
    // Printers (and cpp-httplib, which the emulator uses) often close without close_notify after
    // an HTTP reply: that is the end of the reply, not an attack on its length (the HTTP parser
    // knows the length it expects).
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    return ctx;
}

// OpenSSL writes to the socket with write(2): a server that closes the connection while the
// ClientHello (or the ePOS request) is on its way raised SIGPIPE and killed the host before it
// could reply (found by tests/hostile/servers.test.mjs, "accepts and closes at once"). SIGPIPE
// stays blocked in this thread while a connection is open and one raised meanwhile is discarded,
// as libcurl does, so the write fails with EPIPE and is reported as tls_failed.
class SigpipeBlocked {
  public:
    SigpipeBlocked() {
        sigset_t pipe_only = sigpipe();
        pthread_sigmask(SIG_BLOCK, &pipe_only, &previous_);
    }
    ~SigpipeBlocked() {
        if (!sigismember(&previous_, SIGPIPE)) {
            sigset_t pending;
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE)) {
                sigset_t pipe_only = sigpipe();
                const timespec no_wait{};
                sigtimedwait(&pipe_only, nullptr, &no_wait);
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

  private:
    static sigset_t sigpipe() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        return set;
    }
    sigset_t previous_{};
};

}  // namespace

// Declared in this order so that they are released in the reverse one: the session, then its
// context, then the socket, and SIGPIPE unblocked last.
struct TlsConnection::State {
    SigpipeBlocked no_sigpipe;
    Socket socket{-1};
    std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx;
    std::unique_ptr<SSL, SslDeleter> ssl;
    std::string where;
};

TlsConnection::TlsConnection(std::unique_ptr<State> state) : state_(std::move(state)) {}

TlsConnection::~TlsConnection() {
    if (state_ && state_->ssl) {
        // A quiet close: don't wait for the printer's close_notify.
        SSL_set_quiet_shutdown(state_->ssl.get(), 1);
        SSL_shutdown(state_->ssl.get());
    }
}

std::unique_ptr<TlsConnection> TlsConnection::open(const Target& target, const Endpoint& endpoint,
                                                   const Timeouts& timeouts) {
    auto state = std::make_unique<State>();
    state->where = where(target, endpoint);
    state->socket.reset(connect_with_timeout(target, endpoint, timeouts.connect));
    state->ctx.reset(make_context());
    state->ssl.reset(SSL_new(state->ctx.get()));
    SSL* ssl = state->ssl.get();
    const int fd = state->socket.fd();
    if (ssl == nullptr) {
        throw Failure("internal", "Could not create a TLS session: " + openssl_error());
    }
    SSL_set_fd(ssl, fd);
    if (!target.host_is_ip) {
        // RFC 6066: SNI carries host names only, never IP literals.
        SSL_set_tlsext_host_name(ssl, target.host.c_str());
    }

    const auto deadline = Clock::now() + timeouts.handshake;
    ERR_clear_error();
    for (;;) {
        const int rc = SSL_connect(ssl);
        if (rc == 1) {
            break;
        }
        const int error = SSL_get_error(ssl, rc);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            pollfd pfd{fd, static_cast<short>(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
            const int left = remaining_ms(deadline);
            if (left == 0 || ::poll(&pfd, 1, left) == 0) {
                throw Failure("timeout", "The printer at " + state->where +
                                             " accepted the connection but did not complete a "
                                             "secure (TLS) handshake within " +
                                             std::to_string(timeouts.handshake.count()) + " ms.");
            }
            continue;
        }
        const unsigned long code = ERR_peek_error();
        const std::string detail = code != 0 ? openssl_error() : "connection closed";
        if (ERR_GET_REASON(code) == SSL_R_WRONG_VERSION_NUMBER ||
            ERR_GET_REASON(code) == SSL_R_PACKET_LENGTH_TOO_LONG) {
            throw Failure("not_tls", "Something answers at " + state->where +
                                         ", but it does not speak HTTPS (TLS). Check the port: "
                                         "ePOS printers serve HTTPS on 443.");
        }
        if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN) {
            throw Failure("tls_failed", "The printer at " + state->where +
                                            " closed the connection during the secure handshake.");
        }
        throw Failure("tls_failed",
                      "The secure handshake with " + state->where + " failed: " + detail + ".");
    }

    TlsObservation observation;
    observation.endpoint = endpoint;
    observation.protocol_version = SSL_version(ssl);
    observation.version_name = SSL_get_version(ssl);
    if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
        observation.cipher = SSL_CIPHER_get_name(cipher);
    }
    // On the client side the peer chain includes the leaf (SSL_get_peer_cert_chain(3)).
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
        const int count = sk_X509_num(chain);
        for (int i = 0; i < count; ++i) {
            if (observation.chain.size() == kMaxChain) {
                observation.chain_truncated = true;
                break;
            }
            unsigned char* der = nullptr;
            const int length = i2d_X509(sk_X509_value(chain, i), &der);
            if (length > 0) {
                observation.chain.emplace_back(der, der + length);
            }
            OPENSSL_free(der);
        }
    }
    if (observation.chain.empty()) {
        throw Failure("tls_failed", "The printer at " + state->where +
                                        " completed the handshake without a certificate.");
    }
    std::unique_ptr<TlsConnection> connection(new TlsConnection(std::move(state)));
    connection->observation_ = std::move(observation);
    return connection;
}

namespace {

// Waits until OpenSSL can go on after SSL_ERROR_WANT_READ/WRITE; false when the deadline passed.
bool wait_for(int fd, int ssl_error, Clock::time_point deadline) {
    pollfd pfd{fd, static_cast<short>(ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    const int left = remaining_ms(deadline);
    return left > 0 && ::poll(&pfd, 1, left) > 0;
}

}  // namespace

std::size_t TlsConnection::write_some(std::string_view data, Clock::time_point deadline) {
    SSL* ssl = state_->ssl.get();
    ERR_clear_error();
    for (;;) {
        std::size_t written = 0;
        // Without SSL_MODE_ENABLE_PARTIAL_WRITE a successful SSL_write_ex wrote everything.
        const int rc = SSL_write_ex(ssl, data.data(), data.size(), &written);
        if (rc == 1) {
            return written;
        }
        const int error = SSL_get_error(ssl, rc);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            if (!wait_for(state_->socket.fd(), error, deadline)) {
                throw Failure("timeout",
                              "The printer at " + state_->where + " stopped reading the request.");
            }
            continue;
        }
        throw Failure(
            "tls_failed",
            "Could not send to the printer at " + state_->where + ": " +
                (ERR_peek_error() != 0 ? openssl_error() : std::string("connection closed")) + ".");
    }
}

std::size_t TlsConnection::read_some(char* buffer, std::size_t size, Clock::time_point deadline) {
    SSL* ssl = state_->ssl.get();
    ERR_clear_error();
    for (;;) {
        std::size_t read = 0;
        const int rc = SSL_read_ex(ssl, buffer, size, &read);
        if (rc == 1) {
            return read;
        }
        const int error = SSL_get_error(ssl, rc);
        if (error == SSL_ERROR_ZERO_RETURN) {
            return 0;  // close_notify, or a bare close (SSL_OP_IGNORE_UNEXPECTED_EOF)
        }
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            if (!wait_for(state_->socket.fd(), error, deadline)) {
                throw Failure("timeout",
                              "The printer at " + state_->where + " did not answer in time.");
            }
            continue;
        }
        throw Failure(
            "tls_failed",
            "Could not read from the printer at " + state_->where + ": " +
                (ERR_peek_error() != 0 ? openssl_error() : std::string("connection closed")) + ".");
    }
}

}  // namespace epos::net
