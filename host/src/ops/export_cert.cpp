#include "ops/export_cert.hpp"

#include <nlohmann/json.hpp>

#include "ops/inspect.hpp"
#include "ops/trust.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

std::string xml_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// A UUID made from 32 hex digits of the fingerprint (RFC 9562 version 8, "custom"): the same
// certificate always gives the same profile, so installing it twice replaces rather than
// duplicates it on the tablet, and two certificates never share one.
std::string uuid_from_hex(std::string_view hex32) {
    std::string h(hex32);
    h[12] = '8';                                                          // version 8
    h[16] = "89ab"[std::stoi(std::string(1, h[16]), nullptr, 16) & 0x3];  // variant 10xx
    for (char& c : h) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

// The base64 body of a PEM block on one line: the DER, as a plist <data> element carries it.
std::string pem_body(const std::string& pem) {
    std::string out;
    std::size_t line_start = 0;
    while (line_start < pem.size()) {
        auto line_end = pem.find('\n', line_start);
        if (line_end == std::string::npos) {
            line_end = pem.size();
        }
        std::string_view line(pem.data() + line_start, line_end - line_start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (!line.starts_with("-----")) {
            out += line;
        }
        line_start = line_end + 1;
    }
    return out;
}

std::string mobileconfig(const cert::Certificate& leaf, const std::string& host,
                         const std::string& file_stem, const std::string& der_base64) {
    const std::string& fp = leaf.sha256();
    const std::string name = xml_escape("Receipt printer " + host);
    const std::string id = "org.epos-trust.printer." + fp.substr(0, 16);
    const std::string description = xml_escape(
        "Lets this device's browsers connect securely to the receipt printer at " + host +
        " (SHA-256 " + leaf.sha256_grouped() +
        "). After installing it, switch it on under Settings > General > About > Certificate "
        "Trust Settings.");
    std::string out;
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out +=
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
        "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";
    out += "<plist version=\"1.0\">\n<dict>\n";
    out += "\t<key>PayloadContent</key>\n\t<array>\n\t\t<dict>\n";
    out += "\t\t\t<key>PayloadCertificateFileName</key>\n\t\t\t<string>" + xml_escape(file_stem) +
           ".cer</string>\n";
    out += "\t\t\t<key>PayloadContent</key>\n\t\t\t<data>" + der_base64 + "</data>\n";
    out += "\t\t\t<key>PayloadDescription</key>\n\t\t\t<string>" + description + "</string>\n";
    out += "\t\t\t<key>PayloadDisplayName</key>\n\t\t\t<string>" + name + "</string>\n";
    out += "\t\t\t<key>PayloadIdentifier</key>\n\t\t\t<string>" + id + ".certificate</string>\n";
    out += "\t\t\t<key>PayloadType</key>\n\t\t\t<string>com.apple.security.root</string>\n";
    out += "\t\t\t<key>PayloadUUID</key>\n\t\t\t<string>" + uuid_from_hex(fp.substr(32, 32)) +
           "</string>\n";
    out += "\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n";
    out += "\t\t</dict>\n\t</array>\n";
    out += "\t<key>PayloadDescription</key>\n\t<string>" + description + "</string>\n";
    out += "\t<key>PayloadDisplayName</key>\n\t<string>" + name + "</string>\n";
    out += "\t<key>PayloadIdentifier</key>\n\t<string>" + id + "</string>\n";
    out += "\t<key>PayloadRemovalDisallowed</key>\n\t<false/>\n";
    out += "\t<key>PayloadType</key>\n\t<string>Configuration</string>\n";
    out += "\t<key>PayloadUUID</key>\n\t<string>" + uuid_from_hex(fp.substr(0, 32)) + "</string>\n";
    out += "\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n";
    out += "</dict>\n</plist>\n";
    return out;
}

}  // namespace

std::string export_file_stem(std::string_view host) {
    std::string stem = "epos-printer-";
    for (char c : host) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        stem += safe ? c : '-';
    }
    return stem;
}

ExportedCertificate render_export(const cert::Certificate& leaf, const std::string& host,
                                  const std::string& printer_origin) {
    ExportedCertificate out;
    out.sha256 = leaf.sha256();
    out.printer = printer_origin;
    out.file_stem = export_file_stem(host);
    out.crt_pem = leaf.pem();
    out.crt_der_base64 = pem_body(leaf.pem());
    out.mobileconfig = mobileconfig(leaf, host, out.file_stem, out.crt_der_base64);
    return out;
}

ExportedCertificate export_cert(const Context& context, const ExportRequest& request) {
    const std::string wanted = request.sha256.empty() ? "" : normalise_sha256(request.sha256);
    Presented presented = fetch_presented(context, request.url);
    const auto leaf = cert::Certificate::from_der(presented.tls.chain.front());
    if (!wanted.empty() && leaf.sha256() != wanted) {
        throw Failure("fingerprint_mismatch",
                      "The printer now presents another certificate (SHA-256 " +
                          leaf.sha256_grouped() +
                          ") than the one asked for; nothing was exported. Inspect it again.",
                      nlohmann::json{{"presented_sha256", leaf.sha256()}});
    }
    refuse_if_too_broad(leaf);
    return render_export(leaf, presented.target.host, presented.target.origin());
}

}  // namespace epos::ops
