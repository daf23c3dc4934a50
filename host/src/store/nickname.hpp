#pragma once

#include <string>

namespace epos::store {

// Every label epos-trust writes into a store starts with this: it is how a store tells an entry
// of ours from one a person or another program made with the same certificate.
inline constexpr const char* kNicknamePrefix = "epos-trust ";

// "epos-trust <address> <first 8 hex digits of the SHA-256>". A ':' (IPv6 addresses) becomes
// '_' because NSS reads "token:nickname" in a nickname (docs/browser-behaviour.md §5); brackets and
// any other character outside [A-Za-z0-9._-] become '_' too, so every store can hold the label as
// is.
std::string make_nickname(const std::string& address, const std::string& sha256);

bool is_own_nickname(const std::string& nickname);

}  // namespace epos::store
