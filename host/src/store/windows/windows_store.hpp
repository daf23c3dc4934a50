#pragma once

// The Windows certificate stores (crypt32), in the spirit of Chromium's trust_store_win.cc and
// mkcert's truststore_windows.go: one system store, looked up, added to and removed from by
// SHA-256 fingerprint. No OpenSSL, curl or Boost here: this file also builds with mingw-w64 and
// runs under wine (tests/windows/), where only crypt32 exists.

#include <cstdint>
#include <string>
#include <vector>

#include "store/trust_store.hpp"

namespace epos::store::windows {

// Where a system store lives (CERT_SYSTEM_STORE_CURRENT_USER / _LOCAL_MACHINE).
enum class StoreScope { CurrentUser, LocalMachine };

struct StoreLocation {
    StoreScope scope = StoreScope::CurrentUser;
    std::wstring name;  // system store name: L"ROOT", L"TrustedPeople"
    TrustKind trust = TrustKind::Anchor;

    // The default (docs/browser-behaviour.md §7): Chrome accepts a self-signed leaf from
    // CurrentUser ROOT, and Firefox reads the ROOT stores (enterprise roots, on by default on
    // Windows since 120). Windows asks the person to confirm each add/remove here (wine does not).
    static StoreLocation current_user_root();
    // Chosen by policy, needs an elevated process: Chrome trusts a leaf in LocalMachine
    // TrustedPeople, never as a CA (CurrentUser TrustedPeople is ignored by Chrome). Firefox
    // does not read it.
    static StoreLocation local_machine_trusted_people();
};

// Stable codes of StoreResult::code / Failure::code for this store.
inline constexpr const char* kAccessDenied = "store_access_denied";        // not elevated, or ACL
inline constexpr const char* kUnavailable = "store_unavailable";           // cannot open the store
inline constexpr const char* kWriteFailed = "store_write_failed";          // add/delete refused
inline constexpr const char* kCertificateInvalid = "certificate_invalid";  // DER not parsable
inline constexpr const char* kFingerprintMismatch = "fingerprint_mismatch";  // record != DER

class WindowsCertStore : public TrustStore {
  public:
    explicit WindowsCertStore(StoreLocation location);

    std::string id() const override;  // "windows:CurrentUser/ROOT"
    StoreKind kind() const override { return StoreKind::Windows; }
    std::string location() const override;  // "CurrentUser/ROOT"
    std::string label()
        const override;  // "Windows: Trusted Root Certification Authorities (current user)"
    TrustKind trust_kind() const override { return location_.trust; }

    bool contains(const std::string& sha256) override;
    // Adds with CERT_STORE_ADD_NEW and the record's nickname as friendly name (what a person
    // sees in certmgr.msc); an existing entry with that fingerprint is AlreadyPresent and left
    // as it is.
    StoreResult add(const CertificateRecord& cert) override;
    // Deletes only the entry whose encoded certificate has this SHA-256.
    StoreResult remove(const std::string& sha256) override;

    // The friendly name of the entry with this fingerprint, empty if none or unset.
    std::string friendly_name(const std::string& sha256);

  private:
    StoreLocation location_;
};

// Lowercase hex SHA-256 of an encoded certificate, computed by crypt32 (CryptHashCertificate2),
// the same way certmgr shows a "thumbprint".
std::string certificate_sha256(const std::vector<unsigned char>& der);

// True if this process runs with an elevated (administrator) token: LocalMachine stores need it.
bool process_is_elevated();

}  // namespace epos::store::windows
