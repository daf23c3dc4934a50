#pragma once

#include <filesystem>
#include <string>

#include "store/trust_store.hpp"

namespace epos::store::nss {

// One browser's NSS database (Chromium's ~/.pki/nssdb or a Firefox profile), written through
// libnss3 itself rather than by spawning certutil: one process, no parsing of a tool's output,
// and a failure code per database instead of an exit status.
//
// The store writes the trust it is given (P,, for Chromium, C,, for Firefox: docs/design.md "Trust
// rules"); which one a certificate may get is decided by the operation layer from the findings.
// An entry is written as two PKCS#11 objects, the certificate and its trust, exactly as
// certutil -A writes them; if the second cannot be written the first is removed again, so a
// database never keeps half an entry.
//
// Firefox ESR 153 ships its own NSS 3.125 while this host links Debian's 3.87. Measured here
// (fresh Firefox 153.7 profile, headless, loopback): a C,, entry written by this store through
// libnss3 3.87 into the profile's cert9.db makes Firefox load the printer page securely, and
// without it Firefox refuses; so no bundled libnss3 is needed for writing. The reverse does not
// hold (docs/browser-behaviour.md §5): trust that Firefox's 3.125 wrote reads as ",," here, so a
// certificate a person imported through Firefox's own dialog looks untrusted and is reported as a
// store_conflict, never overwritten.
class NssStore : public TrustStore {
  public:
    NssStore(std::filesystem::path dir, TrustKind trust, std::string label);

    std::string id() const override { return "nss:" + dir_.string(); }
    StoreKind kind() const override { return StoreKind::Nss; }
    std::string location() const override { return dir_.string(); }
    std::string label() const override { return label_; }
    TrustKind trust_kind() const override { return trust_; }

    // True when the database holds the certificate with this store's trust. Throws Failure
    // (store_missing, store_locked, ...) when the database cannot be read.
    bool contains(const std::string& sha256) override;
    std::optional<std::vector<unsigned char>> certificate(const std::string& sha256) override;
    // installed / already_present / failed. A certificate already in the database with other
    // trust, or under a label epos-trust did not write, is a store_conflict and left untouched.
    StoreResult add(const CertificateRecord& cert) override;
    // Removes the certificate and its trust, only if epos-trust wrote it (its label says so).
    StoreResult remove(const std::string& sha256) override;

  private:
    std::filesystem::path dir_;
    TrustKind trust_;
    std::string label_;
};

}  // namespace epos::store::nss
