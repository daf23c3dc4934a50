#pragma once

#include <httplib.h>

namespace epos::emulator {

// CORS as a POS page needs it from the printer (docs/epos-and-odoo.md §1.2 and §2.1):
// - Odoo POSTs with no headers, a "simple" request: no preflight, but the response needs
//   Access-Control-Allow-Origin for the page to read <response success=...>.
// - Epson's SDK XHR sets Content-Type text/xml, SOAPAction and If-Modified-Since: the browser
//   sends an OPTIONS preflight first.
// - Chrome's Private/Local Network Access preflight carries Access-Control-Request-Private-Network
//   and wants Access-Control-Allow-Private-Network: true back.
void add_cors_headers(const httplib::Request& request, httplib::Response& response);
void answer_preflight(const httplib::Request& request, httplib::Response& response);

}  // namespace epos::emulator
