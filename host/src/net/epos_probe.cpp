#include "net/epos_probe.hpp"

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <optional>
#include <string_view>

#include "util/failure.hpp"

namespace epos::net {
namespace {

namespace http = boost::beast::http;
using boost::beast::error_code;

constexpr const char* kStatusPath = "/cgi-bin/epos/service.cgi?devid=local_printer";
constexpr const char* kStatusRequest =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
    "<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"
    "</s:Body></s:Envelope>";

// What Beast's synchronous stream concepts need around one call on a source or a connection:
// Beast moves one buffer per call, and wants error codes, not exceptions. A Failure (timeout,
// reset ...) becomes an error code and is kept, so that the answer can say what really happened.
class FailureKeepingStream {
  public:
    std::string explain(const error_code& ec) const {
        return failure_ ? std::string(failure_->what()) : ec.message();
    }

  protected:
    // `transfer(data, size, ec)` on the first non-empty buffer of `buffers`.
    template <class Buffers, class Transfer>
    std::size_t on_first_buffer(const Buffers& buffers, error_code& ec, Transfer transfer) {
        ec = {};
        for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
            if (buffer.size() == 0) {
                continue;
            }
            try {
                return transfer(buffer.data(), buffer.size(), ec);
            } catch (const Failure& failure) {
                failure_ = failure;
                ec = boost::asio::error::connection_aborted;
                return 0;
            }
        }
        return 0;
    }

    // The throwing forms the concepts ask for too (unused here).
    static std::size_t or_throw(std::size_t transferred, const error_code& ec) {
        if (ec) {
            throw boost::system::system_error(ec);
        }
        return transferred;
    }

  private:
    std::optional<Failure> failure_;
};

// Beast's SyncReadStream over a ReplySource.
class ReplyStream : public FailureKeepingStream {
  public:
    explicit ReplyStream(ReplySource& source) : source_(source) {}

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
        return on_first_buffer(buffers, ec, [this](void* data, std::size_t size, error_code& e) {
            const std::size_t n = source_.read_some(static_cast<char*>(data), size);
            if (n == 0) {
                e = boost::asio::error::eof;
            }
            return n;
        });
    }
    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers) {
        error_code ec;
        const std::size_t n = read_some(buffers, ec);
        return or_throw(n, ec);
    }

  private:
    ReplySource& source_;
};

// The reply's bytes from the open TLS connection, every read bounded by one deadline.
class ConnectionSource : public ReplySource {
  public:
    ConnectionSource(TlsConnection& connection, TlsConnection::Clock::time_point deadline)
        : connection_(connection), deadline_(deadline) {}

    std::size_t read_some(char* data, std::size_t size) override {
        return connection_.read_some(data, size, deadline_);
    }

  private:
    TlsConnection& connection_;
    TlsConnection::Clock::time_point deadline_;
};

// Beast's SyncWriteStream over the open TLS connection, for the request.
class RequestStream : public FailureKeepingStream {
  public:
    RequestStream(TlsConnection& connection, TlsConnection::Clock::time_point deadline)
        : connection_(connection), deadline_(deadline) {}

    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers, error_code& ec) {
        return on_first_buffer(
            buffers, ec, [this](const void* data, std::size_t size, error_code&) {
                return connection_.write_some(
                    std::string_view(static_cast<const char*>(data), size), deadline_);
            });
    }
    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers) {
        error_code ec;
        const std::size_t n = write_some(buffers, ec);
        return or_throw(n, ec);
    }

  private:
    TlsConnection& connection_;
    TlsConnection::Clock::time_point deadline_;
};

// The reply is read with plain scanning, not std::regex: libstdc++'s regex matcher recurses once
// per character, so a server answering with a long enough attribute (a few tens of KiB, well
// under kMaxReplyBody) overflowed the stack and killed the host (found with tests/fuzz, kept in
// tests/fuzz/regressions/epos_response_fuzz).
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// The first `<response ...>` or `<prefix:response ...>` start tag (with or without "/"), whole;
// "" when there is none.
std::string_view response_element(std::string_view body) {
    constexpr std::string_view kName = "response";
    for (std::size_t open = body.find('<'); open != std::string_view::npos;
         open = body.find('<', open + 1)) {
        std::size_t name = open + 1;
        // An optional namespace prefix: a name followed by ':'.
        std::size_t cursor = name;
        if (cursor < body.size() && is_name_start(body[cursor])) {
            while (cursor < body.size() && is_name_char(body[cursor])) {
                ++cursor;
            }
            if (cursor < body.size() && body[cursor] == ':') {
                name = cursor + 1;
            }
        }
        if (body.substr(name, kName.size()) != kName) {
            continue;
        }
        std::size_t end = name + kName.size();
        if (end < body.size() && is_space(body[end])) {
            end = body.find_first_of("<>", end);
        } else if (end < body.size() && body[end] == '/') {
            ++end;
        }
        if (end < body.size() && body[end] == '>') {
            return body.substr(open, end - open + 1);
        }
    }
    return {};
}

// The value of `name="..."` in a start tag (preceded by white space); "" when absent.
std::string attribute(std::string_view element, std::string_view name) {
    for (std::size_t at = element.find(name); at != std::string_view::npos;
         at = element.find(name, at + 1)) {
        if (at == 0 || !is_space(element[at - 1])) {
            continue;
        }
        std::size_t cursor = at + name.size();
        while (cursor < element.size() && is_space(element[cursor])) {
            ++cursor;
        }
        if (cursor >= element.size() || element[cursor] != '=') {
            continue;
        }
        ++cursor;
        while (cursor < element.size() && is_space(element[cursor])) {
            ++cursor;
        }
        if (cursor >= element.size() || element[cursor] != '"') {
            continue;
        }
        const std::size_t close = element.find('"', cursor + 1);
        if (close == std::string_view::npos) {
            continue;
        }
        return std::string(element.substr(cursor + 1, close - cursor - 1));
    }
    return {};
}

}  // namespace

EposAnswer parse_epos_response(const std::string& body) {
    EposAnswer answer;
    // The reply is <response .../> inside a SOAP body, possibly with a namespace prefix.
    const std::string_view element =
        body.size() > kMaxReplyBody ? std::string_view() : response_element(body);
    if (element.empty()) {
        answer.error = "The reply is not an ePOS-Print response.";
        return answer;
    }
    if (body.find("epson-pos.com/schemas") == std::string::npos) {
        answer.error = "The reply has no ePOS-Print namespace.";
        return answer;
    }
    answer.is_epos = true;
    answer.success = attribute(element, "success") == "true";
    answer.code = attribute(element, "code");
    answer.status = attribute(element, "status");
    return answer;
}

HttpReply read_http_reply(ReplySource& source) {
    HttpReply reply;
    ReplyStream stream(source);
    boost::beast::flat_buffer buffer(kMaxReplyHeader + kMaxReplyBody);
    http::response_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kMaxReplyHeader));
    parser.body_limit(kMaxReplyBody);
    // The header first, on its own: Boost 1.74's eager parsing (what http::read asks for) drops
    // the body_limit error raised at the end of the header and goes on to reserve a string as
    // long as the Content-Length the server announced (tests/unit/epos_probe_test.cpp).
    error_code ec;
    http::read_header(stream, buffer, parser, ec);
    if (!ec) {
        http::read(stream, buffer, parser, ec);
    }
    if (ec) {
        reply.error = "The ePOS request failed: " + stream.explain(ec);
    }
    if (parser.is_header_done()) {
        const unsigned status = parser.get().result_int();
        // Beast takes any three digits; "099" or "000" is no HTTP status (RFC 9110 15: 1xx to
        // 5xx, three digits), and 0 here would read as "no header". Found by epos_reply_fuzz.
        if (status >= 100) {
            reply.http_status = static_cast<int>(status);
        } else if (!ec) {
            reply.error = "The ePOS request failed: the reply's status code " +
                          std::to_string(status) + " is not an HTTP status.";
        }
    }
    reply.body = std::move(parser.get().body());
    return reply;
}

EposAnswer epos_answer(const HttpReply& reply) {
    if (!reply.error.empty()) {
        EposAnswer answer;
        answer.http_status = reply.http_status;
        answer.error = reply.error;
        return answer;
    }
    EposAnswer answer = parse_epos_response(reply.body);
    answer.http_status = reply.http_status;
    if (!answer.is_epos && reply.http_status != 200) {
        answer.error = "The printer path answered HTTP " + std::to_string(reply.http_status) +
                       ": this does not look like an Epson ePOS printer.";
    }
    return answer;
}

EposAnswer probe_epos(TlsConnection& connection, const Target& target, const Timeouts& timeouts) {
    // One budget for the whole exchange, as long as connecting and handshaking together.
    const auto deadline = TlsConnection::Clock::now() + timeouts.connect + timeouts.handshake;

    // What Odoo's POS sends (FACTS.md 8), with the Host header a browser would send for the URL.
    http::request<http::string_body> request{http::verb::post, kStatusPath, 11};
    const std::string origin = target.origin();
    request.set(http::field::host, origin.substr(origin.find("//") + 2));
    request.set(http::field::content_type, "text/xml; charset=utf-8");
    request.set(http::field::connection, "close");
    request.body() = kStatusRequest;
    request.prepare_payload();

    RequestStream request_stream(connection, deadline);
    error_code ec;
    http::write(request_stream, request, ec);
    if (ec) {
        EposAnswer answer;
        answer.error = "The ePOS request failed: " + request_stream.explain(ec);
        return answer;
    }
    ConnectionSource source(connection, deadline);
    return epos_answer(read_http_reply(source));
}

}  // namespace epos::net
