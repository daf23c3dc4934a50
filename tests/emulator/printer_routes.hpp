#pragma once

#include <httplib.h>

#include "identity.hpp"
#include "options.hpp"
#include "print_log.hpp"

namespace epos::emulator {

// Puts the printer's pages on a cpp-httplib server (TLS or not):
//   POST /cgi-bin/epos/service.cgi?devid=...   ePOS-Print (not in mode not-epos: 404 there)
//   OPTIONS *                                  CORS preflight
//   GET  /                                     Web Config look-alike
//   GET  /emulator/prints                      accepted prints, a JSON array (for tests)
// Everything referenced must outlive the server.
void mount_printer_routes(httplib::Server& server, const Options& options,
                          const PrinterIdentity& identity, PrintLog& log);

}  // namespace epos::emulator
