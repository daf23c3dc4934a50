#include "net/target.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "net/socket.hpp"
#include "net/socket_api.hpp"
#include "util/failure.hpp"

namespace epos::net {
namespace {

[[noreturn]] void bad_url(const std::string& why) {
    throw Failure("bad_url", why);
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_ipv4_literal(const std::string& host) {
    in_addr addr{};
    return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6_literal(const std::string& host) {
    in6_addr addr{};
    return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// RFC 1123 host names (letters, digits, hyphens, dots). Internationalised names must come
// in their ASCII (punycode) form, as browsers put them in the URL bar: anything else is refused
// rather than guessed at.
bool is_valid_hostname(const std::string& host) {
    if (host.empty() || host.size() > 253) {
        return false;
    }
    std::size_t label = 0;
    char previous = '.';
    for (char c : host) {
        if (c == '.') {
            if (label == 0 || previous == '-') {
                return false;
            }
            label = 0;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
            if (label == 0 && c == '-') {
                return false;
            }
            if (++label > 63) {
                return false;
            }
        } else {
            return false;
        }
        previous = c;
    }
    // A trailing '.' here is an empty last label ("printer.lan.."): the one root dot a name
    // may end with was removed before (found by tests/fuzz/target_fuzz).
    return previous != '-' && previous != '.';
}

}  // namespace

std::string Target::origin() const {
    std::string out = "https://";
    out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != 443) {
        out += ":" + std::to_string(port);
    }
    return out;
}

Target parse_target(std::string_view url) {
    if (url.size() > 2048) {
        bad_url("The address is too long to be a printer URL.");
    }
    for (unsigned char c : url) {
        if (c <= 0x20 || c >= 0x7F) {
            bad_url("The address contains spaces or characters that are not allowed in a URL.");
        }
    }
    constexpr std::string_view kScheme = "https://";
    if (url.size() < kScheme.size() || lowercase(url.substr(0, kScheme.size())) != kScheme) {
        bad_url("Only https:// printer addresses can be checked (the printer's secure address).");
    }
    std::string_view rest = url.substr(kScheme.size());
    const auto authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    if (authority_end != std::string_view::npos) {
        // A path is allowed (the person may paste the ePOS service URL or the Web Config page),
        // it just does not take part: the certificate belongs to host and port.
        if (rest.find('\\') != std::string_view::npos) {
            bad_url("The address contains a backslash.");
        }
    }
    if (authority.find('@') != std::string_view::npos) {
        // "https://printer@evil.example" would show one host and connect to another.
        bad_url("The address must not contain a user name or password (\"user@\").");
    }
    if (authority.empty()) {
        bad_url("The address has no host.");
    }

    Target target;
    std::string_view port_text;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            bad_url("The IPv6 address is missing its closing \"]\".");
        }
        target.host = lowercase(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                bad_url("Unexpected text after the IPv6 address.");
            }
            port_text = after.substr(1);
            if (port_text.empty()) {
                bad_url("The port after \":\" is empty.");
            }
        }
        if (target.host.find('%') != std::string::npos) {
            bad_url(
                "IPv6 zone identifiers (\"%eth0\") are not supported; use the printer's address.");
        }
        if (!is_ipv6_literal(target.host)) {
            bad_url("\"" + target.host + "\" is not a valid IPv6 address.");
        }
        target.host_is_ip = true;
    } else {
        const auto colon = authority.rfind(':');
        std::string_view host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) {
                bad_url("The port after \":\" is empty.");
            }
        }
        if (host.find(':') != std::string_view::npos) {
            bad_url("An IPv6 address must be written in brackets: https://[fd00::25]/.");
        }
        if (host.empty() || host == ".") {
            bad_url("The address has no host.");  // "https://:443"
        }
        target.host = lowercase(host);
        if (!target.host.empty() && target.host.back() == '.') {
            target.host.pop_back();  // "printer.lan." is the same name as "printer.lan"
        }
        if (is_ipv4_literal(target.host)) {
            target.host_is_ip = true;
        } else if (std::all_of(target.host.begin(), target.host.end(),
                               [](char c) { return std::isdigit(c) || c == '.'; }) ||
                   target.host.rfind("0x", 0) == 0) {
            // "192.168.1" or "3232235777" or "0xC0A80119" are other spellings of IPv4 addresses
            // that browsers accept; refuse them rather than connect somewhere unexpected.
            bad_url("\"" + target.host + "\" is not a dotted IPv4 address (like 192.168.1.25).");
        } else if (!is_valid_hostname(target.host)) {
            bad_url("\"" + target.host + "\" is not a valid host name.");
        }
    }

    if (!port_text.empty()) {
        unsigned value = 0;
        const auto* first = port_text.data();
        const auto* last = first + port_text.size();
        const auto [end, ec] = std::from_chars(first, last, value);
        if (ec != std::errc{} || end != last || value == 0 || value > 65535) {
            bad_url("The port \"" + std::string(port_text) + "\" is not a number from 1 to 65535.");
        }
        target.port = static_cast<std::uint16_t>(value);
    }
    return target;
}

std::vector<Endpoint> resolve(const Target& target) {
    std::vector<Endpoint> endpoints;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = target.host_is_ip ? AI_NUMERICHOST : 0;
    addrinfo* found = nullptr;
    init_sockets();  // Winsock must be started before getaddrinfo
    const int rc = getaddrinfo(target.host.c_str(), nullptr, &hints, &found);
    if (rc != 0 || found == nullptr) {
        throw Failure("resolve_failed", "The printer name \"" + target.host +
                                            "\" could not be resolved: " + gai_strerror(rc) + ".");
    }
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        Endpoint endpoint;
        if (ai->ai_family == AF_INET) {
            inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, text,
                      sizeof text);
        } else if (ai->ai_family == AF_INET6) {
            inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr, text,
                      sizeof text);
            endpoint.ipv6 = true;
        } else {
            continue;
        }
        endpoint.address = text;
        endpoint.address_class = classify_address(endpoint.address);
        if (std::none_of(endpoints.begin(), endpoints.end(),
                         [&](const Endpoint& e) { return e.address == endpoint.address; })) {
            endpoints.push_back(endpoint);
        }
    }
    freeaddrinfo(found);
    return endpoints;
}

}  // namespace epos::net
