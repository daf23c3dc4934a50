#pragma once

// Text at the boundary between epos-trust (UTF-8 std::string everywhere) and the Win32 "W"
// functions (UTF-16). Kept apart so that every Windows file converts the same way and a
// non-UTF-8 input fails loudly instead of turning into a registry key with '?' in it.

#include <cstdint>
#include <string>
#include <string_view>

namespace epos::store::windows {

// UTF-8 -> UTF-16. Throws epos::Failure{"invalid_utf8"} on malformed input.
std::wstring widen(std::string_view utf8);

// UTF-16 -> UTF-8 (unpaired surrogates become U+FFFD, as WideCharToMultiByte does).
std::string narrow(std::wstring_view utf16);

// "Access is denied. (0x5)": the system's own sentence for a Win32 or HRESULT error code,
// followed by the code so support can search for it. Falls back to the code alone where the
// system has no text (wine lacks most crypt32 messages).
std::string error_text(std::uint32_t code);

}  // namespace epos::store::windows
