#pragma once

#include <cstddef>
#include <string>

#include "net/tls_probe.hpp"

namespace epos::net {

// The answer to the ePOS-Print status request (an empty <epos-print> document), which every
// Epson ePOS printer answers with <response success=".." code=".." status=".."/>
// (research/epson-odoo.md section 2.3).
struct EposAnswer {
    bool is_epos = false;
    bool success = false;
    std::string code;    // ePOS error code, "" on success ("EPTR_COVER_OPEN", "DeviceNotFound" ...)
    std::string status;  // the printer's status word, decimal
    int http_status = 0;
    std::string error;  // why there is no ePOS answer, when is_epos is false
};

// Bounds of the printer's HTTP reply, which a server on the LAN writes byte by byte: a status
// reply is a few hundred bytes and its header a few lines.
inline constexpr std::size_t kMaxReplyHeader = 16 * 1024;
inline constexpr std::size_t kMaxReplyBody = 64 * 1024;

// Where the reply's bytes come from: the TLS connection in probe_epos, memory in the fuzz target
// (tests/fuzz/epos_reply_fuzz.cpp), so that the very reading code the host runs is fuzzed.
class ReplySource {
  public:
    virtual ~ReplySource() = default;
    // Up to `size` (> 0) bytes into `data`; 0 once the peer has closed the stream. Throws
    // epos::Failure when the stream fails (timeout, reset ...).
    virtual std::size_t read_some(char* data, std::size_t size) = 0;
};

// The HTTP reply as read, before it is judged as ePOS.
struct HttpReply {
    int http_status = 0;  // 0 until a whole header was read
    std::string body;     // what the parser accepted: never over kMaxReplyBody, whole if no error
    std::string error;    // why reading stopped before the end of the reply, "" when it did not
};

// Reads one HTTP/1.1 response with Boost.Beast's parser within kMaxReplyHeader/kMaxReplyBody.
// Never throws for what the bytes say: the reason is in `error`.
HttpReply read_http_reply(ReplySource& source);

// The ePOS answer a reply carries, or why there is none (its `error`, its HTTP status).
EposAnswer epos_answer(const HttpReply& reply);

// Sends the status request (HTTP/1.1 POST) over the connection whose certificate was just
// observed, so the answer comes from that very printer without a second handshake, and reads
// the reply with Boost.Beast's HTTP parser, bounded in size and by the handshake and connect
// timeouts together. Never throws for what the printer does: the reason is in `error`.
EposAnswer probe_epos(TlsConnection& connection, const Target& target, const Timeouts& timeouts);

// Reads the <response .../> element of an ePOS-Print reply. Exposed for tests and fuzzing.
EposAnswer parse_epos_response(const std::string& body);

}  // namespace epos::net
