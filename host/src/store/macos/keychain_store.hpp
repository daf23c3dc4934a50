#pragma once

#include <filesystem>
#include <string>

#include "store/trust_store.hpp"

namespace epos::store::macos {

// The login keychain with trustRoot for SSL (docs/design.md "Trust rules",
// docs/browser-behaviour.md §7), through /usr/bin/security. Compiled on macOS only; NOT built or
// run on this project's CI machine: the command lines it runs are unit-tested in
// keychain_command.cpp.
class KeychainStore : public TrustStore {
  public:
    explicit KeychainStore(std::filesystem::path keychain);

    std::string id() const override { return "macos:" + keychain_.string(); }
    StoreKind kind() const override { return StoreKind::Macos; }
    std::string location() const override { return keychain_.string(); }
    std::string label() const override { return "macOS login keychain"; }
    TrustKind trust_kind() const override { return TrustKind::Anchor; }

    bool contains(const std::string& sha256) override;
    StoreResult add(const CertificateRecord& cert) override;
    StoreResult remove(const std::string& sha256) override;

  private:
    std::string sha1_in_keychain(const std::string& sha256);  // "" when absent

    std::filesystem::path keychain_;
};

}  // namespace epos::store::macos
