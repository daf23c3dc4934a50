#include "net/http_client.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/failure.hpp"

namespace epos::net {
namespace {

// curl_global_init is not thread-safe before 7.84 and the host serves requests from threads.
void init_curl_once() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK) {
        throw Failure("internal",
                      std::string("libcurl failed to start: ") + curl_easy_strerror(result));
    }
}

std::string hex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += kDigits[data[i] >> 4];
        out += kDigits[data[i] & 0x0f];
    }
    return out;
}

// What one transfer's callbacks share. Lives on http_post's stack for the whole transfer.
struct Transfer {
    const std::vector<std::string>* expected = nullptr;
    std::string presented;  // SHA-256 of the leaf the printer presented, "" before the handshake
    bool mismatch = false;
    std::size_t header_bytes = 0;
    std::string status_line;  // the last "HTTP/x y reason" line
    std::string body;
    std::string too_large;  // "header" or "body" once a bound was hit
};

// OpenSSL's whole-chain verification replaced by one question, asked in the handshake before
// any application data can be sent: is the leaf the very certificate that was judged or
// trusted? (SSL_CTX_set_cert_verify_callback: the store context's cert is the peer's leaf.) A
// printer's certificate is self-signed, so no chain or name verification applies; the full
// SHA-256 also covers what CURLOPT_PINNEDPUBLICKEY does not: the same key in another
// certificate (other names, validity, CA flag).
int verify_leaf(X509_STORE_CTX* store, void* arg) {
    auto* transfer = static_cast<Transfer*>(arg);
    X509* leaf = X509_STORE_CTX_get0_cert(store);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (leaf == nullptr || X509_digest(leaf, EVP_sha256(), digest, &length) != 1) {
        transfer->mismatch = true;
        X509_STORE_CTX_set_error(store, X509_V_ERR_UNSPECIFIED);
        return 0;
    }
    transfer->presented = hex(digest, length);
    const auto& expected = *transfer->expected;
    if (std::find(expected.begin(), expected.end(), transfer->presented) != expected.end()) {
        X509_STORE_CTX_set_error(store, X509_V_OK);
        return 1;
    }
    transfer->mismatch = true;
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;
}

// Runs after libcurl configured the SSL_CTX (lib/vtls/openssl.c calls CURLOPT_SSL_CTX_FUNCTION
// last), so what is set here wins.
CURLcode setup_ssl_ctx(CURL*, void* ssl_ctx, void* arg) {
    auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
    // VERIFY_PEER makes OpenSSL abort the handshake when verify_leaf says no; with
    // CURLOPT_SSL_VERIFYPEER off libcurl would otherwise ignore the verdict.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_cert_verify_callback(ctx, verify_leaf, arg);
    // The same handshake inspect's own connection accepts (net/tls_probe.cpp): old printers speak
    // TLS 1.0 or use weak keys; the pin is what makes this connection safe, not the cipher.
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    SSL_CTX_set_max_cert_list(ctx, 100 * 1024);
    // Printers often close without close_notify after the reply; HTTP knows the length.
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    return CURLE_OK;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* arg) {
    auto* transfer = static_cast<Transfer*>(arg);
    const std::size_t length = size * count;
    // Counted over every header of the reply, interim 1xx ones included: a server that sends
    // headers forever is cut off at the bound, not held.
    transfer->header_bytes += length;
    if (transfer->header_bytes > kMaxReplyHeader) {
        transfer->too_large = "header";
        return 0;  // CURLE_WRITE_ERROR
    }
    const std::string_view line(data, length);
    if (line.substr(0, 5) == "HTTP/") {
        transfer->status_line = std::string(line);
    }
    return length;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* arg) {
    auto* transfer = static_cast<Transfer*>(arg);
    const std::size_t length = size * count;
    if (transfer->body.size() + length > kMaxReplyBody) {
        transfer->too_large = "body";
        return 0;  // CURLE_WRITE_ERROR
    }
    transfer->body.append(data, length);
    return length;
}

// "OK" of "HTTP/1.1 200 OK\r\n".
std::string reason_phrase(const std::string& status_line) {
    const auto first = status_line.find(' ');
    if (first == std::string::npos) {
        return {};
    }
    const auto second = status_line.find(' ', first + 1);
    if (second == std::string::npos) {
        return {};
    }
    std::string reason = status_line.substr(second + 1);
    while (!reason.empty() && (reason.back() == '\r' || reason.back() == '\n')) {
        reason.pop_back();
    }
    return reason;
}

std::string where(const HttpRequest& request) {
    const Endpoint& endpoint = request.endpoint;
    std::string text = endpoint.ipv6 ? "[" + endpoint.address + "]" : endpoint.address;
    text += ":" + std::to_string(request.target.port);
    if (!request.target.host_is_ip) {
        text = request.target.host + " (" + text + ")";
    }
    return text;
}

bool has_line_break(std::string_view text) {
    return text.find_first_of("\r\n") != std::string_view::npos;
}

struct EasyDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Each option is checked: an option this libcurl does not know would silently weaken the call.
class Options {
  public:
    explicit Options(CURL* curl) : curl_(curl) {}
    template <class Value>
    Options& set(CURLoption option, Value value) {
        if (const CURLcode rc = curl_easy_setopt(curl_, option, value); rc != CURLE_OK) {
            throw Failure("internal",
                          std::string("libcurl refused an option: ") + curl_easy_strerror(rc));
        }
        return *this;
    }

  private:
    CURL* curl_;
};

[[noreturn]] void fail_transfer(CURLcode rc, const Transfer& transfer, const HttpRequest& request,
                                const char* detail) {
    const std::string at = where(request);
    const std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(rc);
    // Our own verdicts first: libcurl reports them as generic TLS or write errors.
    if (transfer.mismatch || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH) {
        throw Failure("fingerprint_mismatch",
                      "The printer at " + at +
                          " presents another certificate than the one trusted; nothing was sent.",
                      nlohmann::json{{"presented_sha256", transfer.presented}});
    }
    if (!transfer.too_large.empty() || rc == CURLE_FILESIZE_EXCEEDED) {
        const std::string what = transfer.too_large.empty() ? "body" : transfer.too_large;
        throw Failure(
            "reply_too_large",
            "The printer at " + at + " sent a reply " + what + " over " +
                std::to_string((what == "header" ? kMaxReplyHeader : kMaxReplyBody) / 1024) +
                " KiB; it was not read further.");
    }
    switch (rc) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
            throw Failure("unreachable",
                          "Could not connect to the printer at " + at + ": " + why + ".");
        case CURLE_OPERATION_TIMEDOUT:
            throw Failure("timeout", "The printer at " + at + " did not answer in time (" + why +
                                         "). Is it switched on and on this network?");
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
            if (why.find("wrong version number") != std::string::npos ||
                why.find("packet length too long") != std::string::npos) {
                throw Failure("not_tls", "Something answers at " + at +
                                             ", but it does not speak HTTPS (TLS).");
            }
            throw Failure("tls_failed",
                          "The secure handshake with " + at + " failed: " + why + ".");
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_UNSUPPORTED_PROTOCOL:  // HTTP/0.9 (no status line) refused
        case CURLE_BAD_CONTENT_ENCODING:
            throw Failure("tls_failed", "The printer at " + at +
                                            " did not send a whole HTTP reply: " + why + ".");
        default:
            throw Failure("tls_failed",
                          "The exchange with the printer at " + at + " failed: " + why + ".");
    }
}

}  // namespace

HttpResponse http_post(const HttpRequest& request) {
    if (request.leaf_sha256.empty()) {
        throw Failure("internal", "An HTTPS request to a printer needs its certificate's pin.");
    }
    if (request.path.empty() || request.path[0] != '/' ||
        request.path.find_first_of(" ?#\r\n") != std::string::npos ||
        request.query.find_first_of(" #\r\n") != std::string::npos ||
        has_line_break(request.content_type)) {
        throw Failure("bad_request",
                      "The printer request's path, query or content type is not "
                      "one that can be sent.");
    }
    init_curl_once();
    std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
    if (!curl) {
        throw Failure("internal", "libcurl could not create a transfer.");
    }
    Transfer transfer;
    transfer.expected = &request.leaf_sha256;
    char error[CURL_ERROR_SIZE] = {};

    std::string url = request.target.origin() + request.path;
    if (!request.query.empty()) {
        url += "?" + request.query;
    }
    // The printer's name already resolved to this checked address: curl gets it as a fixed
    // entry of its own DNS cache, so no second lookup can answer with another (DNS rebinding).
    std::unique_ptr<curl_slist, ListDeleter> resolve;
    if (!request.target.host_is_ip) {
        const std::string address =
            request.endpoint.ipv6 ? "[" + request.endpoint.address + "]" : request.endpoint.address;
        resolve.reset(curl_slist_append(
            nullptr,
            (request.target.host + ":" + std::to_string(request.target.port) + ":" + address)
                .c_str()));
    }
    std::unique_ptr<curl_slist, ListDeleter> headers(
        curl_slist_append(nullptr, ("Content-Type: " + request.content_type).c_str()));
    // No "Expect: 100-continue" round trip before a large print.
    headers.reset(curl_slist_append(headers.release(), "Expect:"));
    const std::string pin =
        request.spki_sha256.empty() ? std::string() : "sha256//" + request.spki_sha256;

    Options options(curl.get());
    options.set(CURLOPT_URL, url.c_str())
        .set(CURLOPT_ERRORBUFFER, error)
        .set(CURLOPT_NOSIGNAL, 1L)  // threads: no SIGALRM for timeouts
        .set(CURLOPT_PROTOCOLS_STR, "https")
        .set(CURLOPT_REDIR_PROTOCOLS_STR, "https")
        .set(CURLOPT_FOLLOWLOCATION, 0L)
        .set(CURLOPT_PROXY, "")
        .set(CURLOPT_NOPROXY, "*")
        .set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1))
        .set(CURLOPT_FORBID_REUSE, 1L)
        .set(CURLOPT_FRESH_CONNECT, 1L)
        // A resumed session skips the certificate: every connection shows it again.
        .set(CURLOPT_SSL_SESSIONID_CACHE, 0L)
        .set(CURLOPT_SSL_VERIFYPEER, 0L)  // self-signed: verify_leaf decides instead
        .set(CURLOPT_SSL_VERIFYHOST, 0L)  // IP names; the pin identifies the printer
        .set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_0))
        .set(CURLOPT_SSL_CTX_FUNCTION, setup_ssl_ctx)
        .set(CURLOPT_SSL_CTX_DATA, static_cast<void*>(&transfer))
        .set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()))
        .set(CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()))
        .set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxReplyBody))
        .set(CURLOPT_HEADERFUNCTION, on_header)
        .set(CURLOPT_HEADERDATA, static_cast<void*>(&transfer))
        .set(CURLOPT_WRITEFUNCTION, on_body)
        .set(CURLOPT_WRITEDATA, static_cast<void*>(&transfer))
        .set(CURLOPT_HTTPHEADER, headers.get())
        .set(CURLOPT_POST, 1L)
        .set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()))
        .set(CURLOPT_POSTFIELDS, request.body.data());
    if (resolve) {
        options.set(CURLOPT_RESOLVE, resolve.get());
    }
    if (!pin.empty()) {
        options.set(CURLOPT_PINNEDPUBLICKEY, pin.c_str());
    }

    const CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) {
        fail_transfer(rc, transfer, request, error);
    }
    HttpResponse response;
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    response.status_text = reason_phrase(transfer.status_line);
    char* content_type = nullptr;
    if (curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK &&
        content_type != nullptr) {
        response.content_type = content_type;
    }
    response.body = std::move(transfer.body);
    response.leaf_sha256 = transfer.presented;
    if (response.leaf_sha256.empty()) {
        // verify_leaf never ran (it cannot happen with a fresh, unresumed connection): do not
        // claim a pinned answer.
        throw Failure("internal", "The printer's certificate was not checked.");
    }
    return response;
}

std::string spki_sha256_base64(const std::vector<unsigned char>& der) {
    const unsigned char* cursor = der.data();
    std::unique_ptr<X509, decltype(&X509_free)> x509(
        d2i_X509(nullptr, &cursor, static_cast<long>(der.size())), X509_free);
    if (!x509) {
        throw Failure("bad_certificate", "The certificate cannot be read.");
    }
    unsigned char* spki = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509.get()), &spki);
    if (length <= 0) {
        throw Failure("bad_certificate", "The certificate's public key cannot be read.");
    }
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(spki, static_cast<std::size_t>(length), digest);
    OPENSSL_free(spki);
    unsigned char text[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
    const int written = EVP_EncodeBlock(text, digest, SHA256_DIGEST_LENGTH);
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(written));
}

}  // namespace epos::net
