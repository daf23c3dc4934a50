#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cert/certificate.hpp"

namespace epos::cert {

// The scope of one name a certificate vouches for (docs/design.md, trust rules: a trust covers
// the printer and nothing a public site could be). A trusted certificate is trusted for every
// name it carries, so one public name turns a printer trust into a certificate for that site.
enum class NameScope {
    Local,   // only a shop's own network can answer to it
    Public,  // a public site could be it: a public DNS name or address, any wildcard
};

struct CertificateName {
    enum class Type { Dns, Ip };
    Type type = Type::Dns;
    std::string value;  // as written in the certificate (IP names in RFC 5952 text)
    NameScope scope = NameScope::Public;
};

const char* to_string(NameScope scope);
const char* to_string(CertificateName::Type type);

// The scope of a DNS name as a certificate carries it. Local: `localhost` and `*.localhost`,
// names under .local (mDNS), .home.arpa (RFC 8375), .internal and .lan, and single-label names,
// which no public DNS answers for; a name that spells an IP address takes that address's scope.
// Everything else is public, and so is every wildcard, every name that is not a well-formed
// host name (empty labels, spaces, non-ASCII bytes: no browser resolves them locally either,
// and what cannot be understood is not given the benefit of the doubt), and every numeric
// spelling that is not a plain dotted IPv4 address ("3232235777", "0x7f.1": URL parsers turn
// them into addresses of their own).
NameScope dns_name_scope(std::string_view name);

// The scope of the bytes of an iPAddress entry: local for an address of a local class
// (util/address_class.hpp), public otherwise, including malformed entries.
NameScope ip_scope(const std::vector<unsigned char>& bytes);

// Every name the certificate vouches for: each SAN dNSName and iPAddress in that order, or the
// Common Name when the SAN has neither (some clients still read it then).
std::vector<CertificateName> certificate_names(const Certificate& cert);

// The public ones among them (empty when the certificate names only the printer's network).
std::vector<CertificateName> public_names(const Certificate& cert);

}  // namespace epos::cert
