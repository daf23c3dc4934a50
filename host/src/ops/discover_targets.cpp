#include "ops/discover_targets.hpp"

#include <algorithm>

#include "net/target.hpp"
#include "util/address_class.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

[[noreturn]] void bad(const std::string& why) {
    throw Failure("bad_request", why);
}

bool all_digits(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::uint16_t parse_port(const std::string& text) {
    if (text.empty() || text.size() > 5 || !all_digits(text)) {
        bad("\"" + text + "\" is not a port.");
    }
    const auto value = std::stoul(text);
    if (value == 0 || value > 65535) {
        bad("\"" + text + "\" is not a port.");
    }
    return static_cast<std::uint16_t>(value);
}

std::string ipv4_text(std::uint32_t address) {
    return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
           std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

void add_cidr(std::vector<ProbeTarget>& out, const std::string& spec, std::uint16_t port) {
    const auto slash = spec.find('/');
    const auto base = parse_ip_literal(spec.substr(0, slash));
    if (!base || base->size() != 4) {
        bad("\"" + spec + "\": only IPv4 blocks can be scanned (an IPv6 /64 is far too big).");
    }
    const auto bits_text = spec.substr(slash + 1);
    if (bits_text.empty() || bits_text.size() > 2 || !all_digits(bits_text)) {
        bad("\"" + spec + "\": the prefix length must be a number.");
    }
    const int bits = std::stoi(bits_text);
    if (bits < 20 || bits > 32) {
        bad("\"" + spec + "\": scan a block of /20 to /32 (at most 4096 addresses).");
    }
    const auto& b = *base;
    const std::uint32_t value = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                                (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
    const std::uint32_t mask = bits == 32 ? 0xffffffffu : ~((1u << (32 - bits)) - 1u);
    const std::uint32_t first = value & mask;
    const std::uint32_t count = 1u << (32 - bits);
    // A /31 and /32 have no network or broadcast address; larger blocks skip both.
    const std::uint32_t skip = count >= 4 ? 1u : 0u;
    for (std::uint32_t i = skip; i < count - skip; ++i) {
        out.push_back({ipv4_text(first + i), port, false});
    }
}

void add_one(std::vector<ProbeTarget>& out, std::string spec, std::uint16_t port) {
    if (spec.rfind("https://", 0) == 0) {
        const auto target = net::parse_target(spec);
        if (!target.host_is_ip) {
            bad("\"" + spec + "\": discover takes addresses, not names.");
        }
        out.push_back({target.host, target.port, target.host.find(':') != std::string::npos});
        return;
    }
    if (!spec.empty() && spec.front() == '[') {  // [v6]:port or [v6]
        const auto close = spec.find(']');
        if (close == std::string::npos) {
            bad("\"" + spec + "\": missing ']'.");
        }
        if (close + 1 < spec.size()) {
            if (spec[close + 1] != ':') {
                bad("\"" + spec + "\" is not an address.");
            }
            port = parse_port(spec.substr(close + 2));
        }
        spec = spec.substr(1, close - 1);
    } else if (std::count(spec.begin(), spec.end(), ':') == 1) {  // v4:port
        const auto colon = spec.find(':');
        port = parse_port(spec.substr(colon + 1));
        spec = spec.substr(0, colon);
    }
    const auto bytes = parse_ip_literal(spec);
    if (!bytes) {
        bad("\"" + spec +
            "\" is not an address, an address:port or an IPv4 block like 192.168.1.0/24.");
    }
    out.push_back({spec, port, bytes->size() == 16});
}

}  // namespace

std::string ProbeTarget::url() const {
    const auto host = ipv6 ? "[" + address + "]" : address;
    return "https://" + host + (port == 443 ? "" : ":" + std::to_string(port));
}

std::vector<ProbeTarget> expand_targets(const std::vector<std::string>& specs,
                                        std::uint16_t default_port) {
    std::vector<ProbeTarget> out;
    for (const auto& spec : specs) {
        if (spec.find('/') != std::string::npos && spec.rfind("https://", 0) != 0) {
            add_cidr(out, spec, default_port);
        } else {
            add_one(out, spec, default_port);
        }
        if (out.size() > kMaxTargets) {
            bad("More than " + std::to_string(kMaxTargets) + " addresses: scan a smaller block.");
        }
    }
    if (out.empty()) {
        bad("Name a network (192.168.1.0/24) or addresses to scan.");
    }
    return out;
}

}  // namespace epos::ops
