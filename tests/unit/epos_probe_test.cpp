// probe_epos over a real TLS connection to a one-connection server on loopback (FACTS.md 1): the
// status request must travel over the very connection whose certificate was observed, and
// whatever the server answers (chunked, until EOF, too long, nothing at all) ends in an answer,
// never a crash or a hang.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "cert_factory.hpp"
#include "net/epos_probe.hpp"
#include "net/tls_probe.hpp"

namespace epos::net {
namespace {

using namespace std::chrono_literals;

constexpr const char* kEposOk =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope "
    "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><response success=\"true\" "
    "code=\"\" status=\"251658262\" battery=\"0\" "
    "xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/></s:Body></s:Envelope>";

std::string with_length(const std::string& body, const std::string& status = "200 OK") {
    return "HTTP/1.1 " + status + "\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Serves ONE TLS connection on 127.0.0.1: reads the request (header and Content-Length body),
// sends `reply`, then closes, with close_notify or without. An empty reply with `stall` set
// keeps the connection open and silent until the server is destroyed.
class OneConnectionServer {
  public:
    struct Options {
        std::string reply;
        bool close_notify = true;
        bool stall = false;
    };

    explicit OneConnectionServer(Options options) : options_(std::move(options)) {
        const auto cert = testing::make_certificate(testing::shape("good", "127.0.0.1"));
        sha256_ = cert.sha256;
        ctx_ = SSL_CTX_new(TLS_server_method());
        BIO* cert_bio =
            BIO_new_mem_buf(cert.cert_pem.data(), static_cast<int>(cert.cert_pem.size()));
        BIO* key_bio = BIO_new_mem_buf(cert.key_pem.data(), static_cast<int>(cert.key_pem.size()));
        X509* x509 = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
        EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
        SSL_CTX_use_certificate(ctx_, x509);
        SSL_CTX_use_PrivateKey(ctx_, key);
        X509_free(x509);
        EVP_PKEY_free(key);
        BIO_free(cert_bio);
        BIO_free(key_bio);

        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length);
        ::listen(listener_, 4);
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        if (::pipe(stop_pipe_) != 0) {
            stop_pipe_[0] = stop_pipe_[1] = -1;
        }
        thread_ = std::thread([this] { serve(); });
    }

    ~OneConnectionServer() {
        if (stop_pipe_[1] >= 0) {
            [[maybe_unused]] const auto written = ::write(stop_pipe_[1], "x", 1);
        }
        thread_.join();
        ::close(listener_);
        ::close(stop_pipe_[0]);
        ::close(stop_pipe_[1]);
        SSL_CTX_free(ctx_);
    }

    std::uint16_t port() const { return port_; }
    const std::string& sha256() const { return sha256_; }
    // What the first (and only served) connection carried; read after the client is done.
    std::string request() {
        wait_served();
        return request_;
    }

  private:
    bool wait_readable(int fd, int timeout_ms) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        return ::poll(fds, 2, timeout_ms) > 0 && (fds[0].revents & POLLIN) != 0 &&
               (fds[1].revents & POLLIN) == 0;
    }

    void wait_served() {
        for (int i = 0; i < 500 && !served_; ++i) {
            std::this_thread::sleep_for(10ms);
        }
    }

    void serve() {
        // The client may close before the whole reply is written (it refuses oversized ones):
        // EPIPE then, not a SIGPIPE that would end the test binary. SIGPIPE is sent to the
        // thread that wrote, so blocking it here is enough.
        sigset_t pipe_only;
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
        if (!wait_readable(listener_, 10000)) {
            served_ = true;
            return;
        }
        const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        SSL* ssl = SSL_new(ctx_);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) == 1) {
            read_request(ssl);
            served_ = true;
            if (options_.stall) {
                wait_readable(stop_pipe_[0], 10000);
            } else {
                SSL_write(ssl, options_.reply.data(), static_cast<int>(options_.reply.size()));
                if (options_.close_notify) {
                    SSL_shutdown(ssl);
                }
            }
        }
        served_ = true;
        SSL_free(ssl);
        ::close(fd);
    }

    void read_request(SSL* ssl) {
        char buffer[4096];
        std::size_t body_length = 0;
        std::size_t header_end = std::string::npos;
        while (header_end == std::string::npos || request_.size() < header_end + 4 + body_length) {
            const int n = SSL_read(ssl, buffer, sizeof buffer);
            if (n <= 0) {
                return;
            }
            request_.append(buffer, static_cast<std::size_t>(n));
            if (header_end == std::string::npos) {
                header_end = request_.find("\r\n\r\n");
                const auto at = request_.find("Content-Length: ");
                if (header_end != std::string::npos && at != std::string::npos) {
                    body_length = std::stoul(request_.substr(at + 16));
                }
            }
        }
    }

    Options options_;
    SSL_CTX* ctx_ = nullptr;
    int listener_ = -1;
    int stop_pipe_[2] = {-1, -1};
    std::uint16_t port_ = 0;
    std::string sha256_;
    std::string request_;
    std::atomic<bool> served_{false};
    std::thread thread_;
};

struct Exchange {
    TlsObservation seen;
    EposAnswer answer;
    std::chrono::milliseconds took{};
};

Exchange ask(OneConnectionServer& server, Timeouts timeouts = {}) {
    const Target target = parse_target("https://127.0.0.1:" + std::to_string(server.port()));
    const Endpoint endpoint{"127.0.0.1", false, AddressClass::Loopback};
    const auto start = std::chrono::steady_clock::now();
    auto connection = TlsConnection::open(target, endpoint, timeouts);
    Exchange exchange;
    exchange.seen = connection->observation();
    exchange.answer = probe_epos(*connection, target, timeouts);
    exchange.took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    return exchange;
}

TEST(EposProbe, AsksOverTheConnectionWhoseCertificateWasObserved) {
    OneConnectionServer server({with_length(kEposOk)});
    const auto exchange = ask(server);
    EXPECT_TRUE(exchange.answer.is_epos) << exchange.answer.error;
    EXPECT_TRUE(exchange.answer.success);
    EXPECT_EQ(exchange.answer.status, "251658262");
    EXPECT_EQ(exchange.answer.http_status, 200);
    ASSERT_FALSE(exchange.seen.chain.empty());
    // The server serves one connection only: the request arrived on the observed one.
    const std::string request = server.request();
    EXPECT_EQ(request.rfind("POST /cgi-bin/epos/service.cgi?devid=local_printer HTTP/1.1\r\n", 0),
              0u)
        << request;
    EXPECT_NE(request.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos);
    EXPECT_NE(request.find("Content-Type: text/xml; charset=utf-8\r\n"), std::string::npos);
    EXPECT_NE(
        request.find("<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"),
        std::string::npos);
}

TEST(EposProbe, ReadsAChunkedReplyClosedWithoutCloseNotify) {
    const std::string body = kEposOk;
    const std::string half = body.substr(0, 40);
    const std::string rest = body.substr(40);
    auto hex = [](std::size_t n) {
        char text[16];
        std::snprintf(text, sizeof text, "%zx", n);
        return std::string(text);
    };
    OneConnectionServer server({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                    hex(half.size()) + "\r\n" + half + "\r\n" + hex(rest.size()) +
                                    "\r\n" + rest + "\r\n0\r\n\r\n",
                                false});
    const auto answer = ask(server).answer;
    EXPECT_TRUE(answer.is_epos) << answer.error;
    EXPECT_EQ(answer.status, "251658262");
}

TEST(EposProbe, ReadsAReplyThatEndsWithTheConnection) {
    OneConnectionServer server(
        {std::string("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n") + kEposOk, false});
    const auto answer = ask(server).answer;
    EXPECT_TRUE(answer.is_epos) << answer.error;
    EXPECT_EQ(answer.status, "251658262");
}

TEST(EposProbe, AWebServerThatIsNotAPrinterIsReportedWithItsStatus) {
    OneConnectionServer server({with_length("<html>Not found</html>", "404 Not Found")});
    const auto answer = ask(server).answer;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_EQ(answer.http_status, 404);
    EXPECT_NE(answer.error.find("HTTP 404"), std::string::npos) << answer.error;
}

TEST(EposProbe, AnOversizedReplyIsRefusedNotHeld) {
    OneConnectionServer server({with_length(std::string(200 * 1024, 'x'))});
    const auto answer = ask(server).answer;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_EQ(answer.http_status, 200);
    EXPECT_NE(answer.error.find("body limit"), std::string::npos) << answer.error;
}

TEST(EposProbe, AHugeContentLengthIsRefusedBeforeAnythingIsReserved) {
    // 1 PB announced: refused on the header alone (reserving it would throw or exhaust memory).
    OneConnectionServer server(
        {"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\n" + std::string(100, 'x')});
    const auto answer = ask(server).answer;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_NE(answer.error.find("body limit"), std::string::npos) << answer.error;
}

TEST(EposProbe, AnOversizedChunkedReplyIsRefused) {
    std::string chunks;
    for (int i = 0; i < 20; ++i) {
        chunks += "1000\r\n" + std::string(0x1000, 'x') + "\r\n";
    }
    OneConnectionServer server(
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n"});
    const auto answer = ask(server).answer;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_NE(answer.error.find("body limit"), std::string::npos) << answer.error;
}

TEST(EposProbe, AStatusCodeUnder100IsRefusedNotReportedAsAStatus) {
    // Beast's parser takes any three digits; "099" is not an HTTP status and must not come back
    // as http_status 99 (found by tests/fuzz/epos_reply_fuzz), even with an ePOS body.
    OneConnectionServer server({with_length(kEposOk, "099 Low")});
    const auto answer = ask(server).answer;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_EQ(answer.http_status, 0);
    EXPECT_NE(answer.error.find("status code 99 is not an HTTP status"), std::string::npos)
        << answer.error;
}

TEST(EposProbe, GarbageInsteadOfHttpIsNotEpos) {
    OneConnectionServer server({std::string(3000, '\x01')});
    const auto answer = ask(server).answer;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_FALSE(answer.error.empty());
}

TEST(EposProbe, AServerThatClosesWithoutAnswerIsNotEpos) {
    OneConnectionServer server({""});
    const auto answer = ask(server).answer;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_NE(answer.error.find("ePOS request failed"), std::string::npos) << answer.error;
}

TEST(EposProbe, ASilentServerEndsInATimeoutWithinTheBudget) {
    OneConnectionServer::Options silent;
    silent.stall = true;
    OneConnectionServer server(silent);
    Timeouts timeouts;
    timeouts.connect = 200ms;
    timeouts.handshake = 300ms;
    const auto exchange = ask(server, timeouts);
    EXPECT_FALSE(exchange.answer.is_epos);
    EXPECT_NE(exchange.answer.error.find("did not answer in time"), std::string::npos)
        << exchange.answer.error;
    EXPECT_GE(exchange.took, 450ms);
    EXPECT_LT(exchange.took, 3000ms);
}

}  // namespace
}  // namespace epos::net
