#include "web_config_page.hpp"

#include "markup.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace epos::emulator {
namespace {

// "ab12..." -> "AB:12:..." as browsers' certificate viewers show fingerprints.
std::string colon_hex(std::string_view hex) {
    std::string text;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        if (i != 0) {
            text += ':';
        }
        text += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
        if (i + 1 < hex.size()) {
            text += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i + 1])));
        }
    }
    return text;
}

std::string row(std::string_view name, std::string_view value) {
    return "<tr><th>" + escape_markup(name) + "</th><td>" + escape_markup(value) + "</td></tr>\n";
}

}  // namespace

std::string serial_number(const PrinterIdentity& identity) {
    std::string serial = "X4ZE";
    for (char c : identity.sha256.substr(0, 6)) {
        serial += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return serial;
}

std::string web_config_page(const Options& options, const PrinterIdentity& identity) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<title>EPSON TM-m30III (emulated) - Web Config</title></head><body>\n"
           "<h1>EPSON TM-m30III (emulated)</h1>\n"
           "<section id=\"status\"><h2>Product Status</h2><table>\n" +
           row("Model", "TM-m30III (emulated)") + row("IP Address", options.address) +
           row("Serial Number", serial_number(identity)) +
           row("Printer Status", to_string(options.state)) +
           "</table></section>\n"
           "<section id=\"certificate\"><h2>Network &gt; Security &gt; SSL/TLS &gt; "
           "Certificate</h2><table>\n" +
           row("Server Certificate",
               identity.shape == "file" ? "Certificate (imported)" : "Self-signed Certificate") +
           row("Subject", identity.subject) + row("Issuer", identity.issuer) +
           row("Valid From", identity.not_before) + row("Valid To", identity.not_after) +
           row("SHA-256 Fingerprint", colon_hex(identity.sha256)) +
           row("SHA-1 Fingerprint", colon_hex(identity.sha1)) +
           "</table></section>\n"
           "<p>ePOS-Print: <code>POST /cgi-bin/epos/service.cgi?devid=local_printer</code></p>\n"
           "</body></html>\n";
}

std::string plain_site_page() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>It "
           "works</title></head><body><h1>It works!</h1><p>This is a web server, not a "
           "printer.</p></body></html>\n";
}

}  // namespace epos::emulator
