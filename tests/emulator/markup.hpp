#pragma once

#include <string>
#include <string_view>

namespace epos::emulator {

// Escapes text for XML and HTML alike (element content and quoted attribute values): the five
// predefined XML entities, which HTML5 also knows.
std::string escape_markup(std::string_view text);

}  // namespace epos::emulator
