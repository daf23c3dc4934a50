#include "cert/names.hpp"

#include <algorithm>
#include <array>

#include "util/address_class.hpp"

namespace epos::cert {
namespace {

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool is_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The WHATWG URL parser's "ends in a number" test: a host whose last label is numeric (or
// 0x-hex) is parsed as an IPv4 address in some spelling, never looked up as a name.
bool ends_in_number(std::string_view name) {
    const auto dot = name.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
    if (is_digits(last)) {
        return true;
    }
    return last.size() >= 2 && last[0] == '0' && last[1] == 'x' &&
           std::all_of(last.begin() + 2, last.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool has_suffix(std::string_view name, std::string_view suffix) {
    return name == suffix || (name.size() > suffix.size() && name.ends_with(suffix) &&
                              name[name.size() - suffix.size() - 1] == '.');
}

// Suffixes no public DNS delegates: mDNS (RFC 6762), home networks (RFC 8375), the
// private-use TLD ICANN reserved in 2024, the ubiquitous router default, and loopback names
// (RFC 6761, which browsers resolve to loopback themselves).
constexpr std::array<std::string_view, 5> kLocalSuffixes = {"local", "home.arpa", "internal", "lan",
                                                            "localhost"};

}  // namespace

const char* to_string(NameScope scope) {
    return scope == NameScope::Local ? "local" : "public";
}

const char* to_string(CertificateName::Type type) {
    return type == CertificateName::Type::Ip ? "ip" : "dns";
}

NameScope dns_name_scope(std::string_view raw) {
    std::string name;
    name.reserve(raw.size());
    for (char c : raw) {
        name += lower(c);
    }
    // One root dot is the same name ("printer.local." = "printer.local"); more is malformed.
    if (!name.empty() && name.back() == '.') {
        name.pop_back();
    }
    if (name.empty() || name.find('*') != std::string::npos) {
        return NameScope::Public;  // a wildcard names sites nobody can list
    }
    if (const auto ip = parse_ip_literal(name)) {
        return ip_scope(*ip);  // "192.168.1.25" or "fd00::25" written as a DNS name
    }
    std::size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) {
                return NameScope::Public;  // "..local", ".local": an empty label
            }
            label = 0;
        } else if (!is_label_char(c) || ++label > 63) {
            return NameScope::Public;  // spaces, '/', ':', non-ASCII bytes (raw IDN), over-long
        }
    }
    if (label == 0 || ends_in_number(name)) {
        return NameScope::Public;
    }
    if (name.find('.') == std::string::npos) {
        return NameScope::Local;  // "printer", "localhost": no public DNS answers a single label
    }
    for (const auto suffix : kLocalSuffixes) {
        if (has_suffix(name, suffix)) {
            return NameScope::Local;
        }
    }
    return NameScope::Public;
}

NameScope ip_scope(const std::vector<unsigned char>& bytes) {
    if (bytes.size() != 4 && bytes.size() != 16) {
        return NameScope::Public;
    }
    return is_local_class(classify_ip_bytes(bytes)) ? NameScope::Local : NameScope::Public;
}

std::vector<CertificateName> certificate_names(const Certificate& cert) {
    std::vector<CertificateName> names;
    for (const auto& dns : cert.san_dns()) {
        names.push_back({CertificateName::Type::Dns, dns, dns_name_scope(dns)});
    }
    for (std::size_t i = 0; i < cert.san_ips().size(); ++i) {
        const auto& bytes = cert.san_ip_bytes().at(i);
        names.push_back({CertificateName::Type::Ip, cert.san_ips()[i], ip_scope(bytes)});
    }
    if (names.empty() && !cert.common_name().empty()) {
        const std::string& cn = cert.common_name();
        if (const auto ip = parse_ip_literal(cn)) {
            names.push_back({CertificateName::Type::Ip, cn, ip_scope(*ip)});
        } else {
            names.push_back({CertificateName::Type::Dns, cn, dns_name_scope(cn)});
        }
    }
    return names;
}

std::vector<CertificateName> public_names(const Certificate& cert) {
    auto names = certificate_names(cert);
    std::erase_if(names, [](const CertificateName& n) { return n.scope != NameScope::Public; });
    return names;
}

}  // namespace epos::cert
