#include "net/epos_probe.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <memory>
#include <mutex>
#include <string_view>

namespace epos::net {
namespace {

constexpr std::size_t kMaxBody = 64 * 1024;  // a status reply is a few hundred bytes

constexpr const char* kStatusRequest =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
    "<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"
    "</s:Body></s:Envelope>";

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t collect(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    const size_t length = size * count;
    if (body->size() + length > kMaxBody) {
        return 0;  // stops the transfer: this is not a printer's status reply
    }
    body->append(data, length);
    return length;
}

// "sha256//<base64 of SHA-256(SubjectPublicKeyInfo)>", libcurl's CURLOPT_PINNEDPUBLICKEY form.
std::string pinned_key(const std::vector<unsigned char>& leaf_der) {
    const unsigned char* cursor = leaf_der.data();
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        d2i_X509(nullptr, &cursor, static_cast<long>(leaf_der.size())), X509_free);
    if (!cert) {
        return {};
    }
    unsigned char* spki = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &spki);
    if (length <= 0) {
        return {};
    }
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(spki, static_cast<size_t>(length), digest);
    OPENSSL_free(spki);
    unsigned char base64[64] = {};
    EVP_EncodeBlock(base64, digest, sizeof digest);
    return std::string("sha256//") + reinterpret_cast<char*>(base64);
}

// The reply is read with plain scanning, not std::regex: libstdc++'s regex matcher recurses once
// per character, so a server answering with a long enough attribute (a few tens of KiB, well
// under kMaxBody) overflowed the stack and killed the host (found with tests/fuzz, kept in
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
        body.size() > kMaxBody ? std::string_view() : response_element(body);
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

EposAnswer probe_epos(const Target& target, const TlsObservation& seen, const Timeouts& timeouts) {
    global_init_once();
    EposAnswer answer;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl || seen.chain.empty()) {
        answer.error = "Could not start the ePOS request.";
        return answer;
    }
    const std::string pin = pinned_key(seen.chain.front());
    const std::string url = target.origin() + "/cgi-bin/epos/service.cgi?devid=local_printer";
    // Connect to exactly the address the certificate came from (no second DNS lookup that a
    // rebinding resolver could answer differently). An IP literal needs no lookup at all, and
    // curl's resolve list cannot express an IPv6 literal host.
    const std::string host_entry =
        target.host + ":" + std::to_string(target.port) + ":" +
        (seen.endpoint.ipv6 ? "[" + seen.endpoint.address + "]" : seen.endpoint.address);
    std::unique_ptr<curl_slist, SlistDeleter> resolve(
        curl_slist_append(nullptr, host_entry.c_str()));
    std::unique_ptr<curl_slist, SlistDeleter> headers(
        curl_slist_append(nullptr, "Content-Type: text/xml; charset=utf-8"));

    std::string body;
    char error_buffer[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    if (!target.host_is_ip) {
        curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
    }
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");  // a printer on the LAN is never behind a proxy
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, kStatusRequest);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    // The certificate is self-signed by definition here: instead of verifying a chain, pin the
    // key we just fetched, so that this request reaches the same printer.
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    if (!pin.empty()) {
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, pin.c_str());
    }
    curl_easy_setopt(c, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_0);
    curl_easy_setopt(c, CURLOPT_SSL_CIPHER_LIST, "ALL:@SECLEVEL=0");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts.connect.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     static_cast<long>((timeouts.connect + timeouts.handshake).count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);

    const CURLcode rc = curl_easy_perform(c);
    long http_status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http_status);
    if (rc != CURLE_OK) {
        answer.error = std::string("The ePOS request failed: ") +
                       (error_buffer[0] ? error_buffer : curl_easy_strerror(rc));
        answer.http_status = static_cast<int>(http_status);
        return answer;
    }
    answer = parse_epos_response(body);
    answer.http_status = static_cast<int>(http_status);
    if (!answer.is_epos && http_status != 200) {
        answer.error = "The printer path answered HTTP " + std::to_string(http_status) +
                       ": this does not look like an Epson ePOS printer.";
    }
    return answer;
}

}  // namespace epos::net
