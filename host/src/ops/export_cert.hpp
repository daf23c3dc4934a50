#pragma once

#include <string>
#include <string_view>

#include "cert/certificate.hpp"
#include "ops/context.hpp"

namespace epos::ops {

// A printer's certificate in the forms tablets install (docs/admin.md, section 7b): iPadOS and
// iOS take a configuration profile (.mobileconfig) with a com.apple.security.root payload, then
// need the certificate switched on under Certificate Trust Settings; Android takes the PEM
// certificate under "Install a certificate > CA certificate". Neither has an extension API or a
// native host, so the certificate travels as a file.
struct ExportedCertificate {
    std::string sha256;
    std::string printer;       // the printer's origin, "https://127.0.0.25:8443"
    std::string file_stem;     // "epos-printer-127.0.0.25": a file name on every OS
    std::string mobileconfig;  // plist XML
    std::string crt_pem;
    std::string crt_der_base64;
};

struct ExportRequest {
    std::string url;
    std::string sha256;  // "" = whatever the printer presents (the CLI without --sha256)
};

// Fetches the certificate the printer presents (network policy applied, nothing trusted), refuses
// one other than `sha256` (fingerprint_mismatch) or one with public names (certificate_too_broad),
// and renders it. Writes nothing: the faces decide where the files go.
ExportedCertificate export_cert(const Context& context, const ExportRequest& request);

// The forms themselves, for a certificate already fetched.
ExportedCertificate render_export(const cert::Certificate& leaf, const std::string& host,
                                  const std::string& printer_origin);

// "epos-printer-<host>", with every character a file name cannot carry everywhere (IPv6's ':')
// as '-'.
std::string export_file_stem(std::string_view host);

}  // namespace epos::ops
