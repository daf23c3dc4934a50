#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace epos::store {

// The macOS keychain store speaks through /usr/bin/security (as mkcert's truststore_darwin.go
// does for the trust settings): these build its command lines and read its output. Portable, so
// that they are unit-tested here although macOS is not.

// `security add-trusted-cert -r trustRoot -p ssl -k <keychain> <pem file>`: trust for SSL only.
// Per-host trust (-s host) is ignored by Chrome and Firefox (docs/browser-behaviour.md §7), so it
// is not used.
std::vector<std::string> keychain_add_command(const std::filesystem::path& keychain,
                                              const std::filesystem::path& pem_file);

// `security delete-certificate -Z <SHA-1> -t <keychain>`: the certificate with this SHA-1
// only, with its user trust settings (-t).
std::vector<std::string> keychain_delete_command(const std::filesystem::path& keychain,
                                                 const std::string& sha1);

// `security find-certificate -a -Z <keychain>`: every certificate with its hashes, each record
// starting "SHA-256 hash: <HEX>" then "SHA-1 hash: <HEX>" (macOS 10.13 and later).
std::vector<std::string> keychain_find_command(const std::filesystem::path& keychain);

// The SHA-1 (lowercase) of the certificate whose SHA-256 is `sha256` in find-certificate's
// output; empty when it is not listed. The keychain deletes by SHA-1 only.
std::string keychain_sha1_for(const std::string& output, const std::string& sha256);

}  // namespace epos::store
