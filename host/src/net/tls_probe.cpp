#include "net/tls_probe.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>

#include "net/socket.hpp"
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

TcpSocket connect_with_timeout(const Target& target, const Endpoint& endpoint,
                               std::chrono::milliseconds timeout) {
    TcpSocket socket = TcpSocket::create(endpoint.ipv6);
    std::string error;
    switch (socket.start_connect(endpoint.address, target.port, error)) {
        case TcpSocket::Connect::Connected:
            return socket;
        case TcpSocket::Connect::Failed:
            throw Failure("unreachable", "Could not connect to the printer at " +
                                             where(target, endpoint) + ": " + error + ".");
        case TcpSocket::Connect::InProgress:
            break;
    }
    const int ready = socket.wait_connected(static_cast<int>(timeout.count()), error);
    if (ready == 0) {
        throw Failure("timeout", "The printer at " + where(target, endpoint) +
                                     " did not accept a connection within " +
                                     std::to_string(timeout.count()) +
                                     " ms. Is it switched on and on this network?");
    }
    if (ready < 0) {
        throw Failure("unreachable", "Could not connect to the printer at " +
                                         where(target, endpoint) + ": " + error + ".");
    }
    return socket;
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

}  // namespace

// Declared in this order so that they are released in the reverse one: the session, then its
// context, then the socket, and SIGPIPE unblocked last (net/socket.hpp).
struct TlsConnection::State {
    PipeSignalGuard no_sigpipe;
    TcpSocket socket;
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
    state->socket = connect_with_timeout(target, endpoint, timeouts.connect);
    state->ctx.reset(make_context());
    state->ssl.reset(SSL_new(state->ctx.get()));
    SSL* ssl = state->ssl.get();
    if (ssl == nullptr) {
        throw Failure("internal", "Could not create a TLS session: " + openssl_error());
    }
    SSL_set_fd(ssl, state->socket.openssl_fd());
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
            const int left = remaining_ms(deadline);
            if (left == 0 ||
                state->socket.wait(
                    error == SSL_ERROR_WANT_READ ? Readiness::Read : Readiness::Write, left) == 0) {
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
bool wait_for(TcpSocket& socket, int ssl_error, Clock::time_point deadline) {
    const int left = remaining_ms(deadline);
    return left > 0 &&
           socket.wait(ssl_error == SSL_ERROR_WANT_READ ? Readiness::Read : Readiness::Write,
                       left) > 0;
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
            if (!wait_for(state_->socket, error, deadline)) {
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
            if (!wait_for(state_->socket, error, deadline)) {
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
