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

// Sends the status request over HTTPS to the endpoint that was just probed, pinned to the
// public key of the certificate seen in that probe (so this second connection talks to the same
// printer even if the name now resolves elsewhere), with the same timeouts.
EposAnswer probe_epos(const Target& target, const TlsObservation& seen, const Timeouts& timeouts);

// Reads the <response .../> element of an ePOS-Print reply. Exposed for tests and fuzzing.
EposAnswer parse_epos_response(const std::string& body);

}  // namespace epos::net
