#include "store/macos/keychain_store.hpp"

#ifdef __APPLE__

#include <fstream>
#include <system_error>

#include "store/keychain_command.hpp"
#include "store/run_command.hpp"
#include "store/system_ca_store.hpp"
#include "util/failure.hpp"

namespace epos::store::macos {
namespace fs = std::filesystem;

// UNVERIFIED: written from `man security` and docs/browser-behaviour.md §7; never compiled or run
// here.

KeychainStore::KeychainStore(fs::path keychain) : keychain_(std::move(keychain)) {}

std::string KeychainStore::sha1_in_keychain(const std::string& sha256) {
    const CommandResult found = run_command(keychain_find_command(keychain_));
    if (found.status != 0) {
        throw Failure("store_failed", "security find-certificate failed: " + found.output);
    }
    return keychain_sha1_for(found.output, sha256);
}

bool KeychainStore::contains(const std::string& sha256) {
    return !sha1_in_keychain(sha256).empty();
}

StoreResult KeychainStore::add(const CertificateRecord& cert) {
    try {
        if (contains(cert.sha256)) {
            return {Outcome::AlreadyPresent, {}, {}};
        }
    } catch (const Failure& failure) {
        return {Outcome::Failed, failure.code(), failure.what()};
    }
    std::error_code ec;
    const fs::path pem = fs::temp_directory_path(ec) / ("epos-trust-" + cert.sha256 + ".pem");
    {
        std::ofstream out(pem, std::ios::binary | std::ios::trunc);
        out << der_to_pem(cert.der);
    }
    const CommandResult added = run_command(keychain_add_command(keychain_, pem));
    fs::remove(pem, ec);
    if (added.status != 0) {
        return {Outcome::Failed, "store_failed", "security add-trusted-cert: " + added.output};
    }
    return {Outcome::Installed, {}, {}};
}

StoreResult KeychainStore::remove(const std::string& sha256) {
    std::string sha1;
    try {
        sha1 = sha1_in_keychain(sha256);
    } catch (const Failure& failure) {
        return {Outcome::Failed, failure.code(), failure.what()};
    }
    if (sha1.empty()) {
        return {Outcome::NotPresent, {}, {}};
    }
    const CommandResult deleted = run_command(keychain_delete_command(keychain_, sha1));
    if (deleted.status != 0) {
        return {Outcome::Failed, "store_failed", "security delete-certificate: " + deleted.output};
    }
    return {Outcome::Removed, {}, {}};
}

}  // namespace epos::store::macos

#endif  // __APPLE__
