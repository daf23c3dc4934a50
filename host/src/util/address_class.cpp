#include "util/address_class.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "util/failure.hpp"

namespace epos {
namespace {

using Bytes = std::vector<unsigned char>;

// Dotted-quad IPv4 as glibc's inet_pton4 reads it: four decimal parts 0-255, no leading zeros.
bool parse_v4(std::string_view text, unsigned char* out) {
    int octets = 0;
    bool saw_digit = false;
    unsigned value = 0;
    std::array<unsigned char, 4> tmp{};
    for (char ch : text) {
        if (ch >= '0' && ch <= '9') {
            if (saw_digit && value == 0) {
                return false;  // "01": a leading zero, which some resolvers read as octal
            }
            value = value * 10 + static_cast<unsigned>(ch - '0');
            if (value > 255) {
                return false;
            }
            if (!saw_digit) {
                if (++octets > 4) {
                    return false;
                }
                saw_digit = true;
            }
            tmp[static_cast<std::size_t>(octets - 1)] = static_cast<unsigned char>(value);
        } else if (ch == '.' && saw_digit) {
            if (octets == 4) {
                return false;
            }
            saw_digit = false;
            value = 0;
        } else {
            return false;
        }
    }
    if (octets < 4 || !saw_digit) {
        return false;
    }
    std::copy(tmp.begin(), tmp.end(), out);
    return true;
}

int hex_value(char ch) {
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

// RFC 4291 section 2.2 text, following glibc's inet_pton6 step for step (so that what the
// network policy accepted before this module existed is what it accepts now).
bool parse_v6(std::string_view text, unsigned char* out) {
    std::array<unsigned char, 16> tmp{};
    std::size_t tp = 0;
    std::optional<std::size_t> colon_at;
    std::size_t i = 0;
    if (text.empty()) {
        return false;
    }
    if (text[0] == ':') {
        if (text.size() < 2 || text[1] != ':') {
            return false;
        }
        i = 1;
    }
    std::size_t token = i;
    int digits = 0;
    unsigned value = 0;
    while (i < text.size()) {
        const char ch = text[i++];
        if (const int digit = hex_value(ch); digit >= 0) {
            if (digits == 4) {
                return false;
            }
            value = (value << 4) | static_cast<unsigned>(digit);
            ++digits;
            continue;
        }
        if (ch == ':') {
            token = i;
            if (digits == 0) {
                if (colon_at) {
                    return false;  // a second "::"
                }
                colon_at = tp;
                continue;
            }
            if (i == text.size() || tp + 2 > tmp.size()) {
                return false;  // a trailing single ':' or more than eight groups
            }
            tmp[tp++] = static_cast<unsigned char>(value >> 8);
            tmp[tp++] = static_cast<unsigned char>(value & 0xFF);
            digits = 0;
            value = 0;
            continue;
        }
        if (ch == '.' && tp + 4 <= tmp.size() && parse_v4(text.substr(token), tmp.data() + tp)) {
            tp += 4;
            digits = 0;
            break;
        }
        return false;
    }
    if (digits > 0) {
        if (tp + 2 > tmp.size()) {
            return false;
        }
        tmp[tp++] = static_cast<unsigned char>(value >> 8);
        tmp[tp++] = static_cast<unsigned char>(value & 0xFF);
    }
    if (colon_at) {
        if (tp == tmp.size()) {
            return false;  // "::" standing for no group at all
        }
        const std::size_t tail = tp - *colon_at;
        std::copy_backward(tmp.begin() + static_cast<std::ptrdiff_t>(*colon_at),
                           tmp.begin() + static_cast<std::ptrdiff_t>(tp), tmp.end());
        std::fill(tmp.begin() + static_cast<std::ptrdiff_t>(*colon_at),
                  tmp.end() - static_cast<std::ptrdiff_t>(tail), 0);
        tp = tmp.size();
    }
    if (tp != tmp.size()) {
        return false;
    }
    std::copy(tmp.begin(), tmp.end(), out);
    return true;
}

AddressClass classify_v4(const unsigned char* b) {
    const std::uint32_t a = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                            (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
    auto in = [a](std::uint32_t net, int bits) {
        const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
        return (a & mask) == net;
    };
    if (in(0x7F000000, 8)) {
        return AddressClass::Loopback;
    }
    if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16)) {
        return AddressClass::Private;
    }
    if (in(0xA9FE0000, 16)) {
        return AddressClass::LinkLocal;
    }
    if (in(0x64400000, 10)) {
        return AddressClass::Cgnat;
    }
    if (in(0x00000000, 8) || in(0xE0000000, 4) || a == 0xFFFFFFFF) {
        return AddressClass::Unspecified;
    }
    return AddressClass::Public;
}

AddressClass classify_v6(const unsigned char* b) {
    static constexpr std::array<unsigned char, 16> kLoopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                             0, 0, 0, 0, 0, 0, 0, 1};
    static constexpr std::array<unsigned char, 16> kAny{};
    if (std::equal(kLoopback.begin(), kLoopback.end(), b)) {
        return AddressClass::Loopback;
    }
    if (std::equal(kAny.begin(), kAny.end(), b) || b[0] == 0xFF) {
        return AddressClass::Unspecified;
    }
    // IPv4-mapped ::ffff:a.b.c.d: classify the IPv4 address it carries, so that
    // ::ffff:8.8.8.8 cannot pass as local.
    static constexpr std::array<unsigned char, 12> kMapped{0, 0, 0, 0, 0,    0,
                                                           0, 0, 0, 0, 0xFF, 0xFF};
    if (std::equal(kMapped.begin(), kMapped.end(), b)) {
        return classify_v4(b + 12);
    }
    if ((b[0] & 0xFE) == 0xFC) {
        return AddressClass::Ula;
    }
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) {
        return AddressClass::LinkLocal;
    }
    return AddressClass::Public;
}

}  // namespace

const char* to_string(AddressClass cls) {
    switch (cls) {
        case AddressClass::Loopback:
            return "loopback";
        case AddressClass::Private:
            return "private";
        case AddressClass::LinkLocal:
            return "link_local";
        case AddressClass::Ula:
            return "ula";
        case AddressClass::Cgnat:
            return "cgnat";
        case AddressClass::Public:
            return "public";
        case AddressClass::Unspecified:
            return "unspecified";
    }
    return "unspecified";
}

AddressClass address_class_from_string(std::string_view name) {
    for (auto cls :
         {AddressClass::Loopback, AddressClass::Private, AddressClass::LinkLocal, AddressClass::Ula,
          AddressClass::Cgnat, AddressClass::Public, AddressClass::Unspecified}) {
        if (name == to_string(cls)) {
            return cls;
        }
    }
    throw Failure("bad_request", "unknown address class \"" + std::string(name) + "\"");
}

std::optional<std::vector<unsigned char>> parse_ip_literal(std::string_view text) {
    Bytes v4(4);
    if (parse_v4(text, v4.data())) {
        return v4;
    }
    Bytes v6(16);
    if (parse_v6(text, v6.data())) {
        return v6;
    }
    return std::nullopt;
}

AddressClass classify_ip_bytes(std::span<const unsigned char> bytes) {
    if (bytes.size() == 4) {
        return classify_v4(bytes.data());
    }
    if (bytes.size() == 16) {
        return classify_v6(bytes.data());
    }
    return AddressClass::Unspecified;
}

AddressClass classify_address(std::string_view numeric_address) {
    const auto bytes = parse_ip_literal(numeric_address);
    if (!bytes) {
        throw Failure("bad_url",
                      "\"" + std::string(numeric_address) + "\" is not a numeric IP address.");
    }
    return classify_ip_bytes(*bytes);
}

bool is_local_class(AddressClass cls) {
    return cls != AddressClass::Public && cls != AddressClass::Unspecified;
}

}  // namespace epos
