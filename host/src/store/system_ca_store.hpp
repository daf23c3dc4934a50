#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/locator.hpp"
#include "store/trust_store.hpp"

namespace epos::store {

// The Linux system CA directory: Debian/Ubuntu /usr/local/share/ca-certificates +
// update-ca-certificates, Fedora/RHEL /etc/pki/ca-trust/source/anchors + update-ca-trust.
// Chrome and Firefox on Linux do NOT read it (they use NSS databases, docs/browser-behaviour.md
// §5); it serves curl, python, wget and the like on the terminal, which some POS setups use. Root
// only, and only when asked for (--system). Everything in it is an anchor, so the operation layer
// never puts a v1 or CA:TRUE certificate here.
class SystemCaStore : public TrustStore {
  public:
    // `refresh` is the command that rebuilds the system bundle after a change.
    SystemCaStore(std::filesystem::path dir, std::string label,
                  std::vector<std::string> refresh = {});

    std::string id() const override { return "system:" + dir_.string(); }
    StoreKind kind() const override { return StoreKind::System; }
    std::string location() const override { return dir_.string(); }
    std::string label() const override { return label_; }
    TrustKind trust_kind() const override { return TrustKind::Anchor; }

    bool contains(const std::string& sha256) override;
    StoreResult add(const CertificateRecord& cert) override;
    StoreResult remove(const std::string& sha256) override;

    // The file a certificate is written to: "epos-trust-<first 16 hex of the SHA-256>.crt".
    std::filesystem::path file_for(const std::string& sha256) const;

  private:
    StoreResult refresh();

    std::filesystem::path dir_;
    std::string label_;
    std::vector<std::string> refresh_;
};

// This distribution's anchor directory and refresh command.
StoreSpec system_ca_spec();
std::vector<std::string> system_ca_refresh_command(const std::filesystem::path& dir);

// PEM text of a DER certificate (64-column base64), as the anchor directories expect.
std::string der_to_pem(const std::vector<unsigned char>& der);

}  // namespace epos::store
