#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace epos::net {

// Where an address sits, for the "local printers only" rule (docs/design.md "Trust rules": only
// local printers).
enum class AddressClass {
    Loopback,     // 127.0.0.0/8, ::1
    Private,      // RFC 1918: 10/8, 172.16/12, 192.168/16
    LinkLocal,    // 169.254/16, fe80::/10
    Ula,          // IPv6 unique local fc00::/7
    Cgnat,        // RFC 6598 shared address space 100.64/10
    Public,       // everything else that can be routed
    Unspecified,  // 0.0.0.0, ::, multicast, broadcast: never a printer
};

const char* to_string(AddressClass cls);
AddressClass address_class_from_string(std::string_view name);  // throws Failure bad_request

// A printer URL as the person or the POS page gave it: https only, no user-info, no path
// beyond "/" (the printer is identified by scheme, host and port alone: that is what a
// certificate and the browsers' caches are keyed on).
struct Target {
    std::string host;  // as typed, lowercased; IPv6 without brackets
    std::uint16_t port = 443;
    bool host_is_ip = false;

    std::string origin() const;  // "https://host[:port]" with IPv6 in brackets, :443 omitted
};

// Throws Failure{"bad_url"} with a sentence saying what is wrong.
Target parse_target(std::string_view url);

// One resolved address with its class.
struct Endpoint {
    std::string address;  // numeric, IPv6 without brackets
    bool ipv6 = false;
    AddressClass address_class = AddressClass::Public;
};

AddressClass classify_address(std::string_view numeric_address);  // throws on non-numeric

// Resolves target.host (numeric hosts without DNS). Throws Failure{"resolve_failed"}.
std::vector<Endpoint> resolve(const Target& target);

}  // namespace epos::net
