#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "net/target.hpp"

namespace epos::net {

// Bounds of a printer's HTTP reply, which a server on the LAN writes byte by byte: an ePOS reply
// is a few hundred bytes and its header a few lines. Over either: Failure{"reply_too_large"}.
inline constexpr std::size_t kMaxReplyHeader = 16 * 1024;
inline constexpr std::size_t kMaxReplyBody = 64 * 1024;

// One HTTPS POST to a printer whose certificate is already known (docs/design.md: the host only
// talks to a printer over TLS pinned to the certificate that was judged or trusted).
struct HttpRequest {
    Target target;      // the Host header and SNI (none for an IP literal)
    Endpoint endpoint;  // the address already checked against the network policy: the only one
                        // connected to (the name is never resolved again)
    std::string path;   // "/cgi-bin/epos/service.cgi"
    std::string query;  // without '?', may be ""
    std::string content_type;
    std::string body;
    // The leaf's SHA-256 (lowercase hex) the printer must present: checked in the handshake,
    // before a byte of the request is sent. At least one; never empty (there is no unpinned POST).
    std::vector<std::string> leaf_sha256;
    // base64 of SHA-256 of the leaf's DER SubjectPublicKeyInfo, for CURLOPT_PINNEDPUBLICKEY
    // ("" when unknown: the full-certificate check above still applies).
    std::string spki_sha256;
    std::chrono::milliseconds connect_timeout{3000};  // TCP + TLS handshake
    std::chrono::milliseconds total_timeout{6000};    // everything
};

struct HttpResponse {
    int status = 0;
    std::string status_text;   // the reason phrase, "" when the printer sent none
    std::string content_type;  // "" when absent
    std::string body;          // at most kMaxReplyBody
    std::string leaf_sha256;   // what the printer presented (= one of the request's)
};

// Sends `request` with libcurl and reads the reply within the bounds above. Throws Failure:
// unreachable, timeout, not_tls, tls_failed (also: the connection broke after the handshake or
// the reply is not HTTP), fingerprint_mismatch (nothing was sent; details.presented_sha256),
// reply_too_large, internal. No redirect is followed, no proxy used, https only.
// Portable (no POSIX calls): it builds for Windows with mingw too.
HttpResponse http_post(const HttpRequest& request);

// base64(SHA-256(DER SubjectPublicKeyInfo)) of a DER certificate: the libcurl pin form without
// "sha256//". Throws Failure{"bad_certificate"}.
std::string spki_sha256_base64(const std::vector<unsigned char>& der);

}  // namespace epos::net
