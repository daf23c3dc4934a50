#pragma once

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

// Sends the status request (HTTP/1.1 POST) over the connection whose certificate was just
// observed, so the answer comes from that very printer without a second handshake, and reads
// the reply with Boost.Beast's HTTP parser, bounded in size and by the handshake and connect
// timeouts together. Never throws for what the printer does: the reason is in `error`.
EposAnswer probe_epos(TlsConnection& connection, const Target& target, const Timeouts& timeouts);

// Reads the <response .../> element of an ePOS-Print reply. Exposed for tests and fuzzing.
EposAnswer parse_epos_response(const std::string& body);

}  // namespace epos::net
