#pragma once

#include <string>

#include "identity.hpp"
#include "options.hpp"

namespace epos::emulator {

// A small look-alike of a TM printer's Web Config landing page: model, IP, serial number, and
// Network > Security > SSL/TLS > Certificate with the certificate being served. A person who
// opens https://<printer>/ after the warning sees this (docs/browser-behaviour.md §8,
// docs/epos-and-odoo.md §3.2).
std::string web_config_page(const Options& options, const PrinterIdentity& identity);

// The serial number shown (and, on real printers, the Web Config password): derived from the
// certificate so that it is stable for one --cert and differs between emulators.
std::string serial_number(const PrinterIdentity& identity);

// A page a web server that is not a printer serves (mode not-epos).
std::string plain_site_page();

}  // namespace epos::emulator
