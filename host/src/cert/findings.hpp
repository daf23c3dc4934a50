#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cert/certificate.hpp"

namespace epos::cert {

enum class Severity { Error, Warning, Info };
enum class Browser { Chrome, Firefox, Apple };

// Per browser family, what trusting the certificate the way epos-trust would achieves.
enum class Usability {
    Usable,     // a secure page
    Unusable,   // still an error page, whatever is trusted
    Dangerous,  // trusting it as an anchor would let it vouch for other sites: refuse
};

const char* to_string(Severity severity);
const char* to_string(Browser browser);
const char* to_string(Usability usability);

// One thing wrong with a printer's certificate (docs/protocol.md, `findings`).
struct Finding {
    std::string code;  // stable: "san_missing", "expired", ...
    Severity severity = Severity::Info;
    std::string message;            // what is wrong, for a shop owner
    std::string action;             // what to change on the printer
    std::vector<Browser> browsers;  // who refuses it because of this; empty for info

    nlohmann::json to_json() const;
};

struct Verdict {
    Usability chrome = Usability::Usable;
    Usability firefox = Usability::Usable;
    Usability apple = Usability::Usable;

    nlohmann::json to_json() const;  // {"chrome": "usable", ...}
};

// What is known about the server besides its certificate.
struct Context {
    std::string host;     // as the person typed it: "192.168.1.25", "[fd00::25]", "printer.lan"
    int tls_version = 0;  // negotiated, OpenSSL's TLS1_VERSION ... TLS1_3_VERSION; 0 = unknown
    std::optional<bool> answered_as_epos;  // nullopt = not asked
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

struct Judgement {
    std::vector<Finding> findings;
    Verdict verdict;

    bool has(const std::string& code) const;
    nlohmann::json findings_json() const;  // the `findings` array
};

// Judges a leaf certificate for the host it was fetched from, following docs/browser-behaviour.md
// §5 (what Chromium and Firefox do with a trusted self-signed certificate, measured) and Apple's
// published rules for TLS server certificates (support.apple.com/103769).
Judgement judge(const Certificate& leaf, const Context& context);

// Whether `host` (IP literal, brackets allowed, or DNS name) is named by the certificate's SAN
// the way browsers match it: IP addresses byte for byte against iPAddress entries, DNS names
// case-insensitively against dNSName entries with at most one leading wildcard label. The CN is
// never consulted (Chrome 58+ and Firefox ignore it).
bool san_matches(const Certificate& cert, std::string_view host);

// True when the certificate must never be an anchor (NSS "C,,", Windows ROOT, macOS trustRoot):
// a v1 or CA:TRUE certificate trusted as an anchor is a root CA that can vouch for any site
// (docs/browser-behaviour.md §5, measured with Firefox). The verdict's `chrome` assumes Linux NSS
// "P,,"; a store that anchors (Chrome on Windows reads ROOT) must check this instead.
bool unsafe_as_anchor(const Certificate& cert);

// Validity longer than this is refused by Apple platforms (support.apple.com/103769).
inline constexpr std::chrono::days kAppleMaxValidity{825};

}  // namespace epos::cert
