#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace epos {

// Where an address sits, for the "local printers only" rule of the network policy and for the
// scope of a certificate's names (docs/design.md, trust rules). Kept in util, free of sockets
// and OpenSSL, so that every layer (cert, net, policy) can classify without depending on net.
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

// The 4 or 16 bytes of a numeric IP literal, with exactly the syntax POSIX inet_pton accepts
// (dotted-quad IPv4 without leading zeros; RFC 4291 IPv6 text, with an optional dotted IPv4
// tail), written out here so that it needs no socket headers on any OS. No brackets, no zone
// ("%eth0"), no other IPv4 spellings ("0x7f.1", "3232235777"): nullopt for anything else.
std::optional<std::vector<unsigned char>> parse_ip_literal(std::string_view text);

// The class of 4 (IPv4) or 16 (IPv6) address bytes; any other length is Unspecified.
AddressClass classify_ip_bytes(std::span<const unsigned char> bytes);

// The class of a numeric address. Throws Failure{"bad_url"} when `numeric_address` is not one.
AddressClass classify_address(std::string_view numeric_address);

// True for the classes a printer of this shop can sit in (every class but public and
// unspecified): what "local" means for a certificate's IP names.
bool is_local_class(AddressClass cls);

}  // namespace epos
