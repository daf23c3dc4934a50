#pragma once

#include <string>

#include "net/tls_probe.hpp"

namespace epos::net {

// The answer to the ePOS-Print status request (an empty <epos-print> document), which every
// Epson ePOS printer answers with <response success=".." code=".." status=".."/>
// (docs/epos-and-odoo.md §2.3).
struct EposAnswer {
    bool is_epos = false;
    bool success = false;
    std::string code;    // ePOS error code, "" on success ("EPTR_COVER_OPEN", "DeviceNotFound" ...)
    std::string status;  // the printer's status word, decimal
    int http_status = 0;
    std::string error;  // why there is no ePOS answer, when is_epos is false
};

// Sends the status request (HTTP/1.1 POST, what Odoo's POS sends) with the host's one HTTP
// client (net/http_client.hpp) to the address inspect just handshook with, pinned to the
// certificate it just fetched there (`leaf_sha256`, `spki_sha256`): the answer comes from the
// server whose certificate was judged, or not at all. Bounded by the connect and handshake
// timeouts (connecting and the whole exchange each). Never throws for what the printer does: the
// reason is in `error`.
EposAnswer probe_epos(const Target& target, const Endpoint& endpoint,
                      const std::string& leaf_sha256, const std::string& spki_sha256,
                      const Timeouts& timeouts);

// Reads the <response .../> element of an ePOS-Print reply. Exposed for tests and fuzzing.
EposAnswer parse_epos_response(const std::string& body);

}  // namespace epos::net
