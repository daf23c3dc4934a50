#include "cert/findings.hpp"

#include <openssl/tls1.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "cert/names.hpp"

namespace epos::cert {
namespace {

using std::chrono::days;
using std::chrono::floor;

const std::vector<Browser> kAll = {Browser::Chrome, Browser::Firefox, Browser::Apple};

// Where the certificate lives on an Epson printer (docs/epos-and-odoo.md §3.2: newer Web Config;
// older TM-i models: Authentication > Certificate List > Create).
std::string web_config(const std::string& address) {
    // An IPv6 literal needs brackets in a URL.
    const bool ipv6 = address.find(':') != std::string::npos;
    return "Open the printer's Web Config page (https://" + (ipv6 ? "[" + address + "]" : address) +
           "/, user \"epson\", password: the printer's serial number, or \"epson\" on older "
           "models), go to Network Security > SSL/TLS > Certificate";
}

std::string regenerate(const std::string& address, const std::string& how) {
    return web_config(address) + " and update the self-signed certificate " + how +
           ". Then trust the new certificate again with epos-trust.";
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string strip_host(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (auto zone = host.find('%'); zone != std::string_view::npos) {
        host = host.substr(0, zone);
    }
    return std::string(host);
}

// RFC 6125 6.4.3 as browsers apply it: "*" only as the whole left-most label, matching exactly
// one label, and never directly above a single label (no "*.com", "*.lan").
bool dns_name_matches(std::string pattern, std::string host) {
    pattern = lower(pattern);
    host = lower(host);
    if (!host.empty() && host.back() == '.') {
        host.pop_back();
    }
    if (!pattern.empty() && pattern.back() == '.') {
        pattern.pop_back();
    }
    if (pattern.empty() || host.empty()) {
        return false;
    }
    if (!pattern.starts_with("*.")) {
        return pattern.find('*') == std::string::npos && pattern == host;
    }
    const std::string suffix = pattern.substr(1);  // ".example.com"
    if (suffix.find('*') != std::string::npos ||
        std::count(suffix.begin(), suffix.end(), '.') < 2) {
        return false;
    }
    const auto first_dot = host.find('.');
    return first_dot != std::string::npos && first_dot > 0 && host.substr(first_dot) == suffix;
}

std::string list_names(const Certificate& cert) {
    std::vector<std::string> names = cert.san_ips();
    names.insert(names.end(), cert.san_dns().begin(), cert.san_dns().end());
    std::string out;
    const std::size_t shown = std::min<std::size_t>(names.size(), 5);
    for (std::size_t i = 0; i < shown; ++i) {
        out += (i == 0 ? "" : ", ") + names[i];
    }
    if (names.size() > shown) {
        out += " and " + std::to_string(names.size() - shown) + " more";
    }
    return out.empty() ? "no name" : out;
}

std::string tls_name(int version) {
    switch (version) {
        case SSL3_VERSION:
            return "SSL 3.0";
        case TLS1_VERSION:
            return "TLS 1.0";
        case TLS1_1_VERSION:
            return "TLS 1.1";
        default:
            return "an old protocol";
    }
}

bool is_rsa(const Certificate& cert) {
    return cert.key().type == "RSA";
}

class Judge {
  public:
    Judge(const Certificate& cert, const Context& context)
        : cert_(cert), context_(context), address_(strip_host(context.host)) {}

    Judgement run() {
        check_name();
        check_dates();
        check_key();
        check_signature();
        check_shape();
        check_eku();
        check_tls();
        check_issuer();
        check_epos();
        check_scope();
        judgement_.verdict = verdict();
        return std::move(judgement_);
    }

  private:
    void add(std::string code, Severity severity, std::string message, std::string action,
             std::vector<Browser> browsers) {
        judgement_.findings.push_back({std::move(code), severity, std::move(message),
                                       std::move(action), std::move(browsers)});
    }

    void check_name() {
        const std::string fix = regenerate(
            address_, "with the Common Name set to " + address_ +
                          " (the address the POS uses; give the printer a fixed address first, "
                          "since a new address needs a new certificate)");
        if (!cert_.has_san() || (cert_.san_dns().empty() && cert_.san_ips().empty())) {
            std::string message =
                "The certificate has no Subject Alternative Name, so browsers cannot tell which "
                "address it belongs to and refuse it even when trusted";
            if (!cert_.common_name().empty() && lower(cert_.common_name()) == lower(address_)) {
                message += " (its Common Name " + cert_.common_name() +
                           " is right, but Chrome and Firefox no longer read the Common Name)";
            }
            // Epson FAQ KA-01066: some TM firmware makes certificates without SAN; newer firmware
            // adds it when the certificate is regenerated.
            add("san_missing", Severity::Error, message + ".",
                "Update the printer's firmware (Epson lists TM models whose certificates lack it), "
                "then " +
                    lower(fix.substr(0, 1)) + fix.substr(1) +
                    " If the new certificate still has no Subject Alternative Name, import one "
                    "that has, under Certificate > CA-signed Certificate.",
                kAll);
            return;
        }
        if (!san_matches(cert_, address_)) {
            add("san_mismatch", Severity::Error,
                "The certificate is made out to " + list_names(cert_) + ", not to " + address_ +
                    ", the address used to reach the printer, so browsers refuse it even when "
                    "trusted. This happens when the printer's address has changed.",
                fix, kAll);
        }
    }

    void check_dates() {
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(context_.now);
        if (now > cert_.not_after()) {
            add("expired", Severity::Error,
                "The certificate expired on " + cert_.not_after_iso().substr(0, 10) +
                    "; browsers refuse expired certificates even when trusted.",
                regenerate(address_,
                           "(choose a validity of 2 years at most) and check that the "
                           "printer's clock is right"),
                kAll);
        } else if (now < cert_.not_before()) {
            add("not_yet_valid", Severity::Error,
                "The certificate only becomes valid on " + cert_.not_before_iso().substr(0, 10) +
                    "; browsers refuse it until then. The printer's clock (or this computer's) is "
                    "probably wrong.",
                web_config(address_) +
                    ": first set the printer's date and time (or an NTP server) under Date and "
                    "Time, then update the self-signed certificate. Then trust the new "
                    "certificate again with epos-trust.",
                kAll);
        }
        if (cert_.not_after() - cert_.not_before() > kAppleMaxValidity) {
            add("validity_too_long", Severity::Warning,
                "The certificate is valid for " + std::to_string(cert_.validity_days()) +
                    " days; iPhones, iPads and Macs refuse server certificates valid for more than "
                    "825 days.",
                regenerate(address_, "with a validity of 2 years or less"), {Browser::Apple});
        }
    }

    void check_key() {
        const PublicKey& key = cert_.key();
        if (is_rsa(cert_) && key.bits < 2048) {
            // Chromium and Firefox still accept RSA-1024 (docs/browser-behaviour.md §5) but nothing
            // smaller.
            const bool everywhere = key.bits < 1024;
            add("weak_rsa_key", everywhere ? Severity::Error : Severity::Warning,
                "The certificate's RSA key has only " + std::to_string(key.bits) + " bits; " +
                    (everywhere ? "no browser accepts keys that short."
                                : "iPhones, iPads and Macs refuse keys under 2048 bits."),
                regenerate(address_,
                           "with a 2048-bit (or longer) RSA key if the printer offers a "
                           "choice"),
                everywhere ? kAll : std::vector<Browser>{Browser::Apple});
        }
        // Browsers offer only RSA and ECDSA signatures in TLS (no Ed25519/Ed448/DSA): the
        // handshake itself fails. Reported (browser sources), not measured here.
        if (key.type != "RSA" && key.type != "EC") {
            add("unsupported_key", Severity::Error,
                "The certificate uses a " + key.type +
                    " key, which Chrome, Firefox and Safari cannot use for secure connections.",
                regenerate(address_, "with an RSA key"), kAll);
        }
    }

    void check_signature() {
        if (cert_.signature_digest() == "sha1" || cert_.signature_digest() == "md5") {
            add("sha1_signature", Severity::Warning,
                "The certificate is signed with " +
                    std::string(cert_.signature_digest() == "md5" ? "MD5" : "SHA-1") +
                    ", which iPhones, iPads and Macs refuse.",
                regenerate(address_, "(current firmware signs with SHA-256)"), {Browser::Apple});
        }
    }

    // v1 and CA:TRUE: Firefox can only trust a self-signed certificate as an anchor ("C,,"), and
    // an anchored v1 or CA:TRUE certificate is a root CA that can vouch for any site
    // (docs/browser-behaviour.md §5, measured). macOS trustRoot is an anchor too. Chromium trusts
    // it as a leaf ("P,,"): fine.
    void check_shape() {
        if (cert_.version() < 3) {
            add("x509_v1", Severity::Error,
                "The certificate is an old version " + std::to_string(cert_.version()) +
                    " certificate. Firefox cannot use it, and trusting it would let it vouch for "
                    "any website, so epos-trust will not install it for Firefox or Apple devices.",
                regenerate(address_, "(current firmware makes version 3 certificates)"),
                {Browser::Firefox, Browser::Apple});
        }
        if (cert_.is_ca()) {
            add("ca_certificate", Severity::Error,
                "The certificate says it is a certificate authority (CA:TRUE). Firefox refuses it "
                "for a printer, and trusting it would let it vouch for any website, so epos-trust "
                "will not install it for Firefox or Apple devices.",
                regenerate(address_, "(a self-signed printer certificate must not be a CA)"),
                {Browser::Firefox, Browser::Apple});
        }
    }

    // Apple requires EKU serverAuth on every TLS server certificate; Chromium and Firefox only
    // refuse an EKU that is present and names neither serverAuth nor anyExtendedKeyUsage.
    void check_eku() {
        const auto& eku = cert_.extended_key_usage();
        const bool server_auth = std::find(eku.begin(), eku.end(), "serverAuth") != eku.end();
        if (server_auth) {
            return;
        }
        if (!cert_.has_extended_key_usage()) {
            add("no_server_auth_eku", Severity::Warning,
                "The certificate does not say it is meant for a server (no Extended Key Usage "
                "serverAuth); iPhones, iPads and Macs refuse it.",
                regenerate(address_, "(newer firmware adds serverAuth)"), {Browser::Apple});
            return;
        }
        const bool any = std::find(eku.begin(), eku.end(), "anyExtendedKeyUsage") != eku.end();
        add(
            "no_server_auth_eku", any ? Severity::Warning : Severity::Error,
            "The certificate's Extended Key Usage allows only other purposes than a server (" +
                [&] {
                    std::string s;
                    for (const auto& e : eku) {
                        s += (s.empty() ? "" : ", ") + e;
                    }
                    return s;
                }() +
                "), so " +
                (any ? "iPhones, iPads and Macs refuse it." : "every browser refuses it."),
            regenerate(address_, "so that it is made for server authentication"),
            any ? std::vector<Browser>{Browser::Apple} : kAll);
    }

    void check_tls() {
        if (context_.tls_version > 0 && context_.tls_version < TLS1_2_VERSION) {
            add("old_tls", Severity::Error,
                "The printer only speaks " + tls_name(context_.tls_version) +
                    ", which current browsers no longer use; no certificate can fix that.",
                web_config(address_) +
                    ": under Network Security > SSL/TLS > Basic, enable TLS 1.2 (update the "
                    "firmware if it is missing).",
                kAll);
        }
    }

    void check_issuer() {
        if (!cert_.self_signed()) {
            add("not_self_signed", Severity::Info,
                "The certificate was issued by " +
                    (cert_.issuer().empty() ? std::string("an unnamed authority")
                                            : cert_.issuer()) +
                    ", not by the printer itself. Trusting it alone may not be enough: trust the "
                    "issuing certificate authority instead if it is yours.",
                "If your organisation runs that certificate authority, install its root "
                "certificate; otherwise regenerate a self-signed certificate on the printer. " +
                    web_config(address_) + ".",
                {});
        }
    }

    void check_epos() {
        if (context_.answered_as_epos.has_value() && !*context_.answered_as_epos) {
            add("not_epos", Severity::Info,
                "The server at " + address_ +
                    " did not answer like an Epson ePOS printer. Check the address before "
                    "trusting it.",
                "Check the printer's address on its status sheet (hold the paper feed button "
                "while switching it on), and that ePOS-Print is enabled in Web Config.",
                {});
        }
    }

    // A trusted certificate is trusted for every name it carries (docs/design.md, trust rules):
    // one public name, or a wildcard, makes a printer trust a certificate for other sites, so
    // the certificate is dangerous in every browser, whatever else is right with it.
    void check_scope() {
        const auto names = public_names(cert_);
        if (names.empty()) {
            return;
        }
        std::string listed;
        const std::size_t shown = std::min<std::size_t>(names.size(), 5);
        for (std::size_t i = 0; i < shown; ++i) {
            listed += (i == 0 ? "" : ", ") + names[i].value;
        }
        if (names.size() > shown) {
            listed += " and " + std::to_string(names.size() - shown) + " more";
        }
        add("names_beyond_printer", Severity::Error,
            "The certificate also vouches for " + listed +
                (names.size() == 1 ? ", a name" : ", names") +
                " that a public website could have, not only for this printer. Trusted, it would "
                "let whoever holds its key pose as " +
                (names.size() == 1 ? "that site" : "those sites") +
                " in this computer's browsers, so epos-trust will not install it.",
            "Do not trust this certificate. If this is your printer, " +
                lower(web_config(address_).substr(0, 1)) + web_config(address_).substr(1) +
                " and make a new self-signed certificate that names only the printer's address. "
                "A device that presents such a certificate at a printer's address may be posing "
                "as the printer: check which device has that address.",
            kAll);
    }

    Usability usability(Browser browser) const {
        if (judgement_.has("names_beyond_printer")) {
            return Usability::Dangerous;
        }
        const bool dangerous_here = browser != Browser::Chrome &&
                                    (judgement_.has("x509_v1") || judgement_.has("ca_certificate"));
        if (dangerous_here) {
            return Usability::Dangerous;
        }
        for (const auto& f : judgement_.findings) {
            if (std::find(f.browsers.begin(), f.browsers.end(), browser) != f.browsers.end()) {
                return Usability::Unusable;
            }
        }
        return Usability::Usable;
    }

    Verdict verdict() const {
        return {usability(Browser::Chrome), usability(Browser::Firefox), usability(Browser::Apple)};
    }

    const Certificate& cert_;
    const Context& context_;
    std::string address_;
    Judgement judgement_;
};

}  // namespace

const char* to_string(Severity severity) {
    switch (severity) {
        case Severity::Error:
            return "error";
        case Severity::Warning:
            return "warning";
        case Severity::Info:
            return "info";
    }
    return "info";
}

const char* to_string(Browser browser) {
    switch (browser) {
        case Browser::Chrome:
            return "chrome";
        case Browser::Firefox:
            return "firefox";
        case Browser::Apple:
            return "apple";
    }
    return "chrome";
}

const char* to_string(Usability usability) {
    switch (usability) {
        case Usability::Usable:
            return "usable";
        case Usability::Unusable:
            return "unusable";
        case Usability::Dangerous:
            return "dangerous";
    }
    return "unusable";
}

nlohmann::json Finding::to_json() const {
    nlohmann::json browser_names = nlohmann::json::array();
    for (Browser b : browsers) {
        browser_names.push_back(to_string(b));
    }
    return {{"code", code},
            {"severity", to_string(severity)},
            {"message", message},
            {"action", action},
            {"browsers", browser_names}};
}

nlohmann::json Verdict::to_json() const {
    return {{"chrome", to_string(chrome)},
            {"firefox", to_string(firefox)},
            {"apple", to_string(apple)}};
}

bool Judgement::has(const std::string& code) const {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.code == code; });
}

nlohmann::json Judgement::findings_json() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : findings) {
        out.push_back(f.to_json());
    }
    return out;
}

bool san_matches(const Certificate& cert, std::string_view host_view) {
    const std::string host = strip_host(host_view);
    const std::vector<unsigned char> ip = parse_ip(host);
    if (!ip.empty()) {
        // An IP literal matches only an iPAddress entry, byte for byte (RFC 6125 6.2.1; browsers
        // never match an IP against a dNSName).
        const auto& entries = cert.san_ip_bytes();
        return std::find(entries.begin(), entries.end(), ip) != entries.end();
    }
    return std::any_of(cert.san_dns().begin(), cert.san_dns().end(),
                       [&](const std::string& pattern) { return dns_name_matches(pattern, host); });
}

bool unsafe_as_anchor(const Certificate& cert) {
    return cert.version() < 3 || cert.is_ca();
}

Judgement judge(const Certificate& leaf, const Context& context) {
    return Judge(leaf, context).run();
}

}  // namespace epos::cert
