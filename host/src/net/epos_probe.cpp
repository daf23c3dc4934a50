#include "net/epos_probe.hpp"

#include <string_view>

#include "net/http_client.hpp"
#include "util/failure.hpp"

namespace epos::net {
namespace {

constexpr const char* kStatusPath = "/cgi-bin/epos/service.cgi";
constexpr const char* kStatusQuery = "devid=local_printer";
constexpr const char* kStatusRequest =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
    "<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"
    "</s:Body></s:Envelope>";

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

EposAnswer probe_epos(const Target& target, const Endpoint& endpoint,
                      const std::string& leaf_sha256, const std::string& spki_sha256,
                      const Timeouts& timeouts) {
    HttpRequest request;
    request.target = target;
    request.endpoint = endpoint;
    request.path = kStatusPath;
    request.query = kStatusQuery;
    request.content_type = "text/xml; charset=utf-8";
    request.body = kStatusRequest;
    request.leaf_sha256 = {leaf_sha256};
    request.spki_sha256 = spki_sha256;
    // One budget as long as connecting and handshaking together, for the new connection and for
    // the whole exchange: inspect as a whole stays within twice that, as before.
    request.connect_timeout = timeouts.connect + timeouts.handshake;
    request.total_timeout = timeouts.connect + timeouts.handshake;
    EposAnswer answer;
    try {
        const HttpResponse response = http_post(request);
        answer = parse_epos_response(response.body);
        answer.http_status = response.status;
        if (!answer.is_epos && response.status != 200) {
            answer.error = "The printer path answered HTTP " + std::to_string(response.status) +
                           ": this does not look like an Epson ePOS printer.";
        }
    } catch (const Failure& failure) {
        answer.error = std::string("The ePOS request failed: ") + failure.what();
    }
    return answer;
}

}  // namespace epos::net
