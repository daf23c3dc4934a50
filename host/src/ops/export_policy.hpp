#pragma once

#include <string>
#include <vector>

#include "ops/context.hpp"
#include "store/journal.hpp"

namespace epos::ops {

// One printer certificate to pin fleet-wide.
struct PinnedPrinter {
    std::string url;
    std::string sha256;  // lowercase hex
};

// A printer left out of the export, and why.
struct RefusedPrinter {
    std::string url;
    std::string code;    // "unusable", or the Failure's code (unreachable, address_not_local, ...)
    std::string reason;  // for a person
};

// What goes into every exported document: the fingerprints, and the address classes the
// extension serves (the machine policy's, as far as the extension's schema knows them).
struct ExportSet {
    std::vector<PinnedPrinter> printers;
    std::vector<std::string> networks;
    std::vector<RefusedPrinter> refused;
};

// The printers epos-trust trusted on this terminal (its journal), one per fingerprint.
ExportSet printers_from_journal(const Context& context, const store::Journal& journal);

// Inspects each URL now (ops::inspect, so the machine policy's networks apply); a printer whose
// certificate no browser could use once trusted, or that cannot be reached, is refused with the
// reason instead of exported.
ExportSet printers_from_urls(const Context& context, const std::vector<std::string>& urls);

// The formats, and the file each is meant for:
//   host     /etc/epos-trust/policy.json (pinned_sha256, allowed_networks)
//   chrome   /etc/opt/chrome/policies/managed/epos-trust.json (also Chromium, Edge, Brave)
//   firefox  /etc/firefox/policies/policies.json
//   macos    a .mobileconfig profile (Chrome, Edge, Firefox payloads)
//   reg      a Windows .reg file: the host's HKLM\Software\Policies\epos-trust lists (as
//            policy/windows/machine_policy.cpp reads them, replaced on import) and the HKLM
//            extension policies for Chrome, Edge, Firefox
const std::vector<std::string>& export_formats();

// One document. Throws Failure{"bad_request"} for an unknown format.
std::string render_export(const ExportSet& set, const std::string& format);

}  // namespace epos::ops
