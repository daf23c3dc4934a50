#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/address_class.hpp"

namespace epos::net {

// The address classes live in util/address_class.hpp (cert and policy use them too); these
// names keep net's callers as they were.
using ::epos::address_class_from_string;
using ::epos::AddressClass;
using ::epos::classify_address;
using ::epos::to_string;

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

// Resolves target.host (numeric hosts without DNS). Throws Failure{"resolve_failed"}.
std::vector<Endpoint> resolve(const Target& target);

}  // namespace epos::net
