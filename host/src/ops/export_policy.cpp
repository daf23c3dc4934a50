#include "ops/export_policy.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "ops/inspect.hpp"
#include "ops/manifest_templates.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

// The extension's IDs, read from the host manifest templates of manifests/ (embedded at build
// time), so that they are written in one place.
std::string template_first(const char* text, const char* key) {
    return nlohmann::json::parse(std::string(text))[key][0].get<std::string>();
}
const std::string kChromeId = [] {
    // "chrome-extension://<id>/" -> "<id>"
    auto origin = template_first(templates::kChromeHost, "allowed_origins");
    origin = origin.substr(origin.find("//") + 2);
    return origin.substr(0, origin.find('/'));
}();
const std::string kFirefoxId = template_first(templates::kFirefoxHost, "allowed_extensions");

// The extension's managed schema (extension/src/managed_schema.json) knows these classes only.
const std::vector<std::string> kExtensionNetworks = {"loopback", "private", "link_local", "ula",
                                                     "cgnat"};

std::vector<std::string> networks_of(const Context& context) {
    std::vector<std::string> out;
    for (const auto cls : context.policy.allowed_networks) {
        const std::string name = net::to_string(cls);
        if (std::find(kExtensionNetworks.begin(), kExtensionNetworks.end(), name) !=
            kExtensionNetworks.end()) {
            out.push_back(name);
        }
    }
    return out;
}

void add_unique(ExportSet& set, PinnedPrinter printer) {
    for (const auto& known : set.printers) {
        if (known.sha256 == printer.sha256) {
            return;
        }
    }
    set.printers.push_back(std::move(printer));
}

nlohmann::json fingerprints(const ExportSet& set) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& printer : set.printers) {
        out.push_back(printer.sha256);
    }
    return out;
}

nlohmann::ordered_json extension_settings(const ExportSet& set) {
    nlohmann::ordered_json settings;
    settings["networks"] = set.networks;
    settings["pinnedFingerprints"] = fingerprints(set);
    return settings;
}

std::string xml_escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
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
            default:
                out += c;
        }
    }
    return out;
}

std::string plist_strings(const std::vector<std::string>& items, const std::string& indent) {
    std::string out = indent + "<array>\n";
    for (const auto& item : items) {
        out += indent + "  <string>" + xml_escape(item) + "</string>\n";
    }
    return out + indent + "</array>\n";
}

std::string mobileconfig(const ExportSet& set) {
    std::vector<std::string> pins;
    for (const auto& printer : set.printers) {
        pins.push_back(printer.sha256);
    }
    const auto settings = [&](const std::string& indent) {
        return indent + "<key>networks</key>\n" + plist_strings(set.networks, indent) + indent +
               "<key>pinnedFingerprints</key>\n" + plist_strings(pins, indent);
    };
    const auto payload = [&](const std::string& type, const std::string& id, int n) {
        return "    <dict>\n      <key>PayloadType</key><string>" + type +
               "</string>\n      <key>PayloadIdentifier</key><string>org.epos-trust.export." + id +
               "</string>\n      <key>PayloadUUID</key><string>6D3C1E2A-5B7F-4C8D-9E0A-" +
               "1B2C3D4E5F7" + std::to_string(n) +
               "</string>\n      <key>PayloadVersion</key><integer>1</integer>\n";
    };
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
           "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
           "<plist version=\"1.0\">\n<dict>\n"
           "  <key>PayloadDisplayName</key><string>epos-trust pinned printers</string>\n"
           "  <key>PayloadIdentifier</key><string>org.epos-trust.export</string>\n"
           "  <key>PayloadType</key><string>Configuration</string>\n"
           "  <key>PayloadUUID</key><string>6D3C1E2A-5B7F-4C8D-9E0A-1B2C3D4E5F70</string>\n"
           "  <key>PayloadVersion</key><integer>1</integer>\n"
           "  <key>PayloadContent</key>\n  <array>\n";
    out << payload("com.google.Chrome.extensions." + kChromeId, "chrome", 1) << settings("      ")
        << "    </dict>\n";
    out << payload("com.microsoft.Edge.extensions." + kChromeId, "edge", 2) << settings("      ")
        << "    </dict>\n";
    out << payload("org.mozilla.firefox", "firefox", 3)
        << "      <key>EnterprisePoliciesEnabled</key><true/>\n"
           "      <key>3rdparty</key>\n      <dict>\n        <key>Extensions</key>\n"
           "        <dict>\n          <key>"
        << kFirefoxId << "</key>\n          <dict>\n"
        << settings("            ")
        << "          </dict>\n        </dict>\n      </dict>\n    </dict>\n";
    out << "  </array>\n</dict>\n</plist>\n";
    return out.str();
}

std::string reg_string(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return "\"" + out + "\"";
}

// A list of the host's machine policy as policy/windows/machine_policy.cpp reads it: a subkey
// whose values "1", "2", ... are the items. The subkey is deleted first ("[-key]"), so an import
// replaces the list instead of merging it with an older one (a pin removed must go).
void reg_list(std::ostringstream& out, const std::string& key,
              const std::vector<std::string>& items) {
    out << "\n[-" << key << "]\n[" << key << "]\n";
    for (size_t i = 0; i < items.size(); ++i) {
        out << reg_string(std::to_string(i + 1)) << "=" << reg_string(items[i]) << "\n";
    }
}

std::string reg_file(const ExportSet& set) {
    const auto networks = nlohmann::json(set.networks).dump(-1, ' ', true);
    const auto pins = fingerprints(set).dump(-1, ' ', true);
    std::vector<std::string> pin_list;
    for (const auto& printer : set.printers) {
        pin_list.push_back(printer.sha256);
    }
    const std::string host_key = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\epos-trust";
    std::ostringstream out;
    out << "Windows Registry Editor Version 5.00\n\n"
           "; epos-trust pinned printers (epos-trust export-policy).\n"
           "; The host's machine policy (docs/admin.md section 4): these two lists are\n"
           "; replaced, its other settings kept.\n";
    reg_list(out, host_key + "\\allowed_networks", set.networks);
    reg_list(out, host_key + "\\pinned_sha256", pin_list);
    out << "\n; The extension's managed settings, as JSON text.\n";
    for (const std::string& key :
         {std::string("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\3rdparty\\"
                      "extensions\\") +
              kChromeId + "\\policy",
          std::string("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge\\3rdparty\\"
                      "extensions\\") +
              kChromeId + "\\policy",
          std::string("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mozilla\\Firefox\\3rdparty\\"
                      "Extensions\\") +
              kFirefoxId}) {
        out << "\n[" << key << "]\n"
            << "\"networks\"=" << reg_string(networks) << "\n"
            << "\"pinnedFingerprints\"=" << reg_string(pins) << "\n";
    }
    return out.str();
}

}  // namespace

ExportSet printers_from_journal(const Context& context, const store::Journal& journal) {
    ExportSet set;
    set.networks = networks_of(context);
    for (const auto& entry : journal.read()) {
        add_unique(set, {entry.url, entry.sha256});
    }
    return set;
}

ExportSet printers_from_urls(const Context& context, const std::vector<std::string>& urls) {
    ExportSet set;
    set.networks = networks_of(context);
    for (const auto& url : urls) {
        try {
            const auto report = inspect(context, url);
            const auto& verdict = report.judgement.verdict;
            if (verdict.chrome != cert::Usability::Usable &&
                verdict.firefox != cert::Usability::Usable) {
                set.refused.push_back({url, "unusable",
                                       "no browser can use this certificate even trusted: run "
                                       "`epos-trust inspect " +
                                           url + "` for what to change on the printer"});
                continue;
            }
            add_unique(set, {report.target.origin(), report.leaf().sha256()});
        } catch (const Failure& failure) {
            set.refused.push_back({url, failure.code(), failure.what()});
        }
    }
    return set;
}

const std::vector<std::string>& export_formats() {
    static const std::vector<std::string> formats = {"host", "chrome", "firefox", "macos", "reg"};
    return formats;
}

std::string render_export(const ExportSet& set, const std::string& format) {
    if (format == "host") {
        nlohmann::ordered_json doc;
        doc["_comment"] =
            "epos-trust machine policy (epos-trust export-policy): "
            "/etc/epos-trust/policy.json, owned by root, mode 0644";
        doc["allowed_networks"] = set.networks;
        doc["pinned_sha256"] = fingerprints(set);
        return doc.dump(2) + "\n";
    }
    if (format == "chrome") {
        nlohmann::ordered_json doc;
        doc["3rdparty"]["extensions"][kChromeId] = extension_settings(set);
        return doc.dump(2) + "\n";
    }
    if (format == "firefox") {
        nlohmann::ordered_json doc;
        doc["policies"]["3rdparty"]["Extensions"][kFirefoxId] = extension_settings(set);
        return doc.dump(2) + "\n";
    }
    if (format == "macos") {
        return mobileconfig(set);
    }
    if (format == "reg") {
        return reg_file(set);
    }
    throw Failure("bad_request",
                  "Unknown format \"" + format + "\" (use host, chrome, firefox, macos, reg).");
}

}  // namespace epos::ops
