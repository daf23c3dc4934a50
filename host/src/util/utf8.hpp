#pragma once

#include <string_view>

namespace epos {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
// nlohmann::json would also reject most of these, but a precise "invalid_utf8" error tells the
// extension developer what went wrong, where "invalid_json" would mislead.
bool is_valid_utf8(std::string_view text);

}  // namespace epos
