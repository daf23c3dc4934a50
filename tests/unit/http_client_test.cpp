// net::http_post (libcurl) and probe_epos over real TLS connections to a small server on
// loopback that records, per connection, whether the handshake completed and every byte of
// application data that arrived: the pin checks must stop a connection BEFORE the request is
// sent, and whatever the server answers (chunked, until EOF, too long, nothing) ends in a
// reply or a stable error code, never a crash or a hang.
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
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cert_factory.hpp"
#include "net/epos_probe.hpp"
#include "net/http_client.hpp"
#include "util/failure.hpp"

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

// Serves TLS connections on 127.0.0.1, one after the other: reads the request (header and
// Content-Length body), sends `reply`, then closes. `stall`: reads and never answers; `plain`:
// no TLS at all, `reply` written to whatever arrives.
class RecordingServer {
  public:
    struct Options {
        std::string reply;
        bool close_notify = true;
        bool stall = false;
        bool plain = false;
        testing::CertSpec cert = testing::shape("good", "127.0.0.1");
    };
    struct Connection {
        bool handshake_done = false;
        std::string received;  // application data that arrived
    };

    explicit RecordingServer(Options options) : options_(std::move(options)) {
        const auto cert = testing::make_certificate(options_.cert);
        sha256_ = cert.sha256;
        der_ = cert.der;
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
        ::listen(listener_, 8);
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        if (::pipe(stop_pipe_) != 0) {
            stop_pipe_[0] = stop_pipe_[1] = -1;
        }
        thread_ = std::thread([this] { serve(); });
    }

    ~RecordingServer() {
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
    const std::vector<unsigned char>& der() const { return der_; }
    std::vector<Connection> connections() {
        // The server thread finishes a connection a moment after the client has its answer.
        for (int i = 0; i < 100 && busy_; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        std::lock_guard lock(mutex_);
        return connections_;
    }

  private:
    bool wait_readable(int fd, int timeout_ms) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        return ::poll(fds, 2, timeout_ms) > 0 && (fds[0].revents & POLLIN) != 0 &&
               (fds[1].revents & POLLIN) == 0;
    }

    void serve() {
        // The client may close before the whole reply is written (it refuses oversized ones):
        // EPIPE then, not a SIGPIPE that would end the test binary.
        sigset_t pipe_only;
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
        while (wait_readable(listener_, 10000)) {
            const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                continue;
            }
            busy_ = true;
            {
                std::lock_guard lock(mutex_);
                connections_.emplace_back();
            }
            if (options_.plain) {
                char buffer[4096];
                if (wait_readable(fd, 2000)) {
                    [[maybe_unused]] const auto got = ::read(fd, buffer, sizeof buffer);
                    [[maybe_unused]] const auto sent =
                        ::write(fd, options_.reply.data(), options_.reply.size());
                }
            } else {
                serve_tls(fd);
            }
            ::close(fd);
            busy_ = false;
        }
    }

    void serve_tls(int fd) {
        SSL* ssl = SSL_new(ctx_);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) == 1) {
            {
                std::lock_guard lock(mutex_);
                connections_.back().handshake_done = true;
            }
            read_request(ssl);
            if (options_.stall) {
                wait_readable(stop_pipe_[0], 10000);
            } else {
                SSL_write(ssl, options_.reply.data(), static_cast<int>(options_.reply.size()));
                if (options_.close_notify) {
                    SSL_shutdown(ssl);
                }
            }
        }
        SSL_free(ssl);
    }

    // Until the request is whole, or the client closes (a client that refused the certificate
    // after the handshake closes without sending anything: that is what the tests look for).
    void read_request(SSL* ssl) {
        char buffer[4096];
        std::string request;
        std::size_t body_length = 0;
        std::size_t header_end = std::string::npos;
        while (header_end == std::string::npos || request.size() < header_end + 4 + body_length) {
            const int n = SSL_read(ssl, buffer, sizeof buffer);
            if (n <= 0) {
                return;
            }
            request.append(buffer, static_cast<std::size_t>(n));
            {
                std::lock_guard lock(mutex_);
                connections_.back().received = request;
            }
            if (header_end == std::string::npos) {
                header_end = request.find("\r\n\r\n");
                const auto at = request.find("Content-Length: ");
                if (header_end != std::string::npos && at != std::string::npos) {
                    body_length = std::stoul(request.substr(at + 16));
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
    std::vector<unsigned char> der_;
    std::mutex mutex_;
    std::vector<Connection> connections_;
    std::atomic<bool> busy_{false};
    std::thread thread_;
};

HttpRequest request_to(RecordingServer& server, const std::string& host = "127.0.0.1") {
    HttpRequest request;
    request.target = parse_target("https://" + host + ":" + std::to_string(server.port()));
    request.endpoint = {"127.0.0.1", false, AddressClass::Loopback};
    request.path = "/cgi-bin/epos/service.cgi";
    request.query = "devid=local_printer&timeout=10000";
    request.content_type = "text/xml";
    request.body = "<print/>";
    request.leaf_sha256 = {server.sha256()};
    request.spki_sha256 = spki_sha256_base64(server.der());
    return request;
}

// The code of the Failure http_post throws, "" when it returns.
std::string failure_code(const HttpRequest& request, std::string* message = nullptr) {
    try {
        http_post(request);
    } catch (const Failure& failure) {
        if (message != nullptr) {
            *message = failure.what();
        }
        return failure.code();
    }
    return {};
}

TEST(HttpClient, PostsThePinnedRequestAndReadsTheReply) {
    RecordingServer server({with_length(kEposOk)});
    const HttpResponse response = http_post(request_to(server));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.status_text, "OK");
    EXPECT_EQ(response.content_type, "text/xml; charset=utf-8");
    EXPECT_EQ(response.body, kEposOk);
    EXPECT_EQ(response.leaf_sha256, server.sha256());
    const auto connections = server.connections();
    ASSERT_EQ(connections.size(), 1u);
    const std::string& sent = connections[0].received;
    EXPECT_EQ(sent.rfind("POST /cgi-bin/epos/service.cgi?devid=local_printer&timeout=10000 "
                         "HTTP/1.1\r\n",
                         0),
              0u)
        << sent;
    EXPECT_NE(sent.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos);
    EXPECT_NE(sent.find("Content-Type: text/xml\r\n"), std::string::npos) << sent;
    EXPECT_EQ(sent.find("Expect:"), std::string::npos) << sent;
    EXPECT_EQ(sent.substr(sent.size() - 8), "<print/>");
}

TEST(HttpClient, ANameIsConnectedToTheCheckedAddressWithoutAnotherLookup) {
    // "printer.invalid" resolves nowhere (RFC 6761): the request only arrives because curl was
    // given the checked address for it.
    RecordingServer server({with_length(kEposOk)});
    const HttpResponse response = http_post(request_to(server, "printer.invalid"));
    EXPECT_EQ(response.status, 200);
    const auto connections = server.connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_NE(connections[0].received.find(
                  "Host: printer.invalid:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos);
}

TEST(HttpClient, AnotherCertificateIsRefusedInTheHandshakeBeforeAnythingIsSent) {
    RecordingServer server({with_length(kEposOk)});
    HttpRequest request = request_to(server);
    request.leaf_sha256 = {std::string(64, 'a')};
    request.spki_sha256.clear();
    EXPECT_EQ(failure_code(request), "fingerprint_mismatch");
    const auto connections = server.connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_FALSE(connections[0].handshake_done);  // aborted inside the handshake
    EXPECT_EQ(connections[0].received, "");
}

TEST(HttpClient, TheSameKeyInAnotherCertificateIsRefusedBeforeAnythingIsSent) {
    // The factory reuses one RSA key per process: this certificate has the pinned key (the SPKI
    // pin alone would pass it) but other contents, so only the full SHA-256 stops it.
    RecordingServer trusted({with_length(kEposOk)});
    RecordingServer::Options other;
    other.reply = with_length(kEposOk);
    other.cert.san_ips = {"127.0.0.1", "10.0.0.1"};
    RecordingServer server(other);
    ASSERT_EQ(spki_sha256_base64(server.der()), spki_sha256_base64(trusted.der()));
    ASSERT_NE(server.sha256(), trusted.sha256());
    HttpRequest request = request_to(server);
    request.leaf_sha256 = {trusted.sha256()};
    request.spki_sha256 = spki_sha256_base64(trusted.der());
    EXPECT_EQ(failure_code(request), "fingerprint_mismatch");
    const auto connections = server.connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_EQ(connections[0].received, "");
}

TEST(HttpClient, AWrongKeyPinIsRefusedBeforeAnythingIsSent) {
    RecordingServer server({with_length(kEposOk)});
    HttpRequest request = request_to(server);
    request.spki_sha256 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    EXPECT_EQ(failure_code(request), "fingerprint_mismatch");
    const auto connections = server.connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_EQ(connections[0].received, "");
}

TEST(HttpClient, AnyOfSeveralExpectedFingerprintsIsAccepted) {
    RecordingServer server({with_length(kEposOk)});
    HttpRequest request = request_to(server);
    request.leaf_sha256 = {std::string(64, 'b'), server.sha256()};
    EXPECT_EQ(http_post(request).status, 200);
}

TEST(HttpClient, ReadsAChunkedReplyClosedWithoutCloseNotify) {
    const std::string body = kEposOk;
    const std::string half = body.substr(0, 40);
    const std::string rest = body.substr(40);
    auto hex = [](std::size_t n) {
        char text[16];
        std::snprintf(text, sizeof text, "%zx", n);
        return std::string(text);
    };
    RecordingServer server({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                hex(half.size()) + "\r\n" + half + "\r\n" + hex(rest.size()) +
                                "\r\n" + rest + "\r\n0\r\n\r\n",
                            false});
    EXPECT_EQ(http_post(request_to(server)).body, body);
}

TEST(HttpClient, ReadsAReplyThatEndsWithTheConnection) {
    RecordingServer server(
        {std::string("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n") + kEposOk, false});
    EXPECT_EQ(http_post(request_to(server)).body, kEposOk);
}

TEST(HttpClient, AnOversizedBodyIsRefused) {
    RecordingServer server({with_length(std::string(kMaxReplyBody + 1, 'x'))});
    EXPECT_EQ(failure_code(request_to(server)), "reply_too_large");
}

TEST(HttpClient, ABodyAtTheLimitIsRead) {
    RecordingServer server({with_length(std::string(kMaxReplyBody, 'x'))});
    EXPECT_EQ(http_post(request_to(server)).body.size(), kMaxReplyBody);
}

TEST(HttpClient, AHugeContentLengthIsRefusedOnTheHeader) {
    RecordingServer server(
        {"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\n" + std::string(100, 'x')});
    EXPECT_EQ(failure_code(request_to(server)), "reply_too_large");
}

TEST(HttpClient, AnOversizedChunkedOrCloseDelimitedBodyIsRefused) {
    std::string chunks;
    for (int i = 0; i < 20; ++i) {
        chunks += "1000\r\n" + std::string(0x1000, 'x') + "\r\n";
    }
    RecordingServer chunked(
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n"});
    EXPECT_EQ(failure_code(request_to(chunked)), "reply_too_large");
    RecordingServer until_close(
        {"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(100 * 1024, 'x')});
    EXPECT_EQ(failure_code(request_to(until_close)), "reply_too_large");
}

TEST(HttpClient, AHeaderOverItsLimitIsRefused) {
    std::string header = "HTTP/1.1 200 OK\r\n";
    while (header.size() <= kMaxReplyHeader) {
        header += "X-Filler: " + std::string(100, 'y') + "\r\n";
    }
    RecordingServer server({header + "Content-Length: 2\r\n\r\nok"});
    EXPECT_EQ(failure_code(request_to(server)), "reply_too_large");
}

TEST(HttpClient, GarbageOrNothingAfterTheHandshakeIsTlsFailed) {
    RecordingServer garbage({std::string(3000, '\x01')});
    EXPECT_EQ(failure_code(request_to(garbage)), "tls_failed");
    RecordingServer nothing({""});
    EXPECT_EQ(failure_code(request_to(nothing)), "tls_failed");
}

TEST(HttpClient, ASilentServerEndsInATimeoutWithinTheBudget) {
    RecordingServer::Options silent;
    silent.stall = true;
    RecordingServer server(silent);
    HttpRequest request = request_to(server);
    request.connect_timeout = 300ms;
    request.total_timeout = 500ms;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(failure_code(request), "timeout");
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 450ms);
    EXPECT_LT(took, 2000ms);
}

TEST(HttpClient, NothingListeningIsUnreachable) {
    HttpRequest request;
    request.target = parse_target("https://127.0.0.1:1");
    request.endpoint = {"127.0.0.1", false, AddressClass::Loopback};
    request.path = "/";
    request.leaf_sha256 = {std::string(64, 'a')};
    EXPECT_EQ(failure_code(request), "unreachable");
}

TEST(HttpClient, AServerThatDoesNotSpeakTlsIsNotTls) {
    RecordingServer::Options plain;
    plain.plain = true;
    plain.reply = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    RecordingServer server(plain);
    std::string message;
    EXPECT_EQ(failure_code(request_to(server), &message), "not_tls") << message;
}

TEST(HttpClient, ARequestWithALineBreakInAHeaderIsNotSent) {
    RecordingServer server({with_length(kEposOk)});
    HttpRequest request = request_to(server);
    request.content_type = "text/xml\r\nX-Injected: 1";
    EXPECT_EQ(failure_code(request), "bad_request");
    EXPECT_TRUE(server.connections().empty());
}

TEST(HttpClient, ThereIsNoUnpinnedRequest) {
    RecordingServer server({with_length(kEposOk)});
    HttpRequest request = request_to(server);
    request.leaf_sha256.clear();
    EXPECT_EQ(failure_code(request), "internal");
    EXPECT_TRUE(server.connections().empty());
}

// probe_epos: inspect's status request, now over this client.
EposAnswer probe(RecordingServer& server, const std::string& sha256, Timeouts timeouts = {}) {
    const Target target = parse_target("https://127.0.0.1:" + std::to_string(server.port()));
    return probe_epos(target, {"127.0.0.1", false, AddressClass::Loopback}, sha256,
                      spki_sha256_base64(server.der()), timeouts);
}

TEST(EposProbe, AsksTheServerWhoseCertificateWasJudged) {
    RecordingServer server({with_length(kEposOk)});
    const EposAnswer answer = probe(server, server.sha256());
    EXPECT_TRUE(answer.is_epos) << answer.error;
    EXPECT_TRUE(answer.success);
    EXPECT_EQ(answer.status, "251658262");
    EXPECT_EQ(answer.http_status, 200);
    const auto connections = server.connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_EQ(connections[0].received.rfind(
                  "POST /cgi-bin/epos/service.cgi?devid=local_printer HTTP/1.1\r\n", 0),
              0u);
    EXPECT_NE(connections[0].received.find("Content-Type: text/xml; charset=utf-8\r\n"),
              std::string::npos);
    EXPECT_NE(connections[0].received.find(
                  "<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"),
              std::string::npos);
}

TEST(EposProbe, AServerWithAnotherCertificateIsNotAskedAndNotEpos) {
    RecordingServer server({with_length(kEposOk)});
    const EposAnswer answer = probe(server, std::string(64, 'c'));
    EXPECT_FALSE(answer.is_epos);
    EXPECT_NE(answer.error.find("another certificate"), std::string::npos) << answer.error;
    ASSERT_EQ(server.connections().size(), 1u);
    EXPECT_EQ(server.connections()[0].received, "");
}

TEST(EposProbe, AWebServerThatIsNotAPrinterIsReportedWithItsStatus) {
    RecordingServer server({with_length("<html>Not found</html>", "404 Not Found")});
    const EposAnswer answer = probe(server, server.sha256());
    EXPECT_FALSE(answer.is_epos);
    EXPECT_EQ(answer.http_status, 404);
    EXPECT_NE(answer.error.find("HTTP 404"), std::string::npos) << answer.error;
}

TEST(EposProbe, AnOversizedReplyIsNotEpos) {
    RecordingServer server({with_length(std::string(200 * 1024, 'x'))});
    const EposAnswer answer = probe(server, server.sha256());
    EXPECT_FALSE(answer.is_epos);
    EXPECT_NE(answer.error.find("over 64 KiB"), std::string::npos) << answer.error;
}

TEST(EposProbe, ASilentServerEndsWithinTheBudget) {
    RecordingServer::Options silent;
    silent.stall = true;
    RecordingServer server(silent);
    Timeouts timeouts;
    timeouts.connect = 200ms;
    timeouts.handshake = 300ms;
    const auto start = std::chrono::steady_clock::now();
    const EposAnswer answer = probe(server, server.sha256(), timeouts);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(answer.is_epos);
    EXPECT_NE(answer.error.find("did not answer in time"), std::string::npos) << answer.error;
    EXPECT_GE(took, 450ms);
    EXPECT_LT(took, 3000ms);
}

}  // namespace
}  // namespace epos::net
