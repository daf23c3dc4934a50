#include "store/windows/windows_store.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
// wincrypt.h needs windows.h first.
#include <wincrypt.h>

#include "store/windows/windows_text.hpp"
#include "util/failure.hpp"

namespace epos::store::windows {

namespace {

constexpr DWORD kEncoding = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING;

// RAII for the two crypt32 handles we hold; both are released on every path.
class StoreHandle {
  public:
    explicit StoreHandle(HCERTSTORE handle) : handle_(handle) {}
    StoreHandle(const StoreHandle&) = delete;
    StoreHandle& operator=(const StoreHandle&) = delete;
    ~StoreHandle() {
        if (handle_ != nullptr) {
            CertCloseStore(handle_, 0);
        }
    }
    HCERTSTORE get() const { return handle_; }
    explicit operator bool() const { return handle_ != nullptr; }

  private:
    HCERTSTORE handle_;
};

class ContextHandle {
  public:
    explicit ContextHandle(PCCERT_CONTEXT context = nullptr) : context_(context) {}
    ContextHandle(const ContextHandle&) = delete;
    ContextHandle& operator=(const ContextHandle&) = delete;
    ContextHandle(ContextHandle&& other) noexcept
        : context_(std::exchange(other.context_, nullptr)) {}
    ~ContextHandle() {
        if (context_ != nullptr) {
            CertFreeCertificateContext(context_);
        }
    }
    PCCERT_CONTEXT get() const { return context_; }
    // For CertDeleteCertificateFromStore, which frees the context itself, even on failure.
    PCCERT_CONTEXT release() { return std::exchange(context_, nullptr); }
    explicit operator bool() const { return context_ != nullptr; }

  private:
    PCCERT_CONTEXT context_;
};

// crypt32 reports some failures as Win32 codes and others as HRESULTs; compare both forms.
bool is_error(DWORD error, DWORD win32) {
    return error == win32 || error == static_cast<DWORD>(HRESULT_FROM_WIN32(win32));
}

bool is_access_denied(DWORD error) {
    return is_error(error, ERROR_ACCESS_DENIED) || error == static_cast<DWORD>(E_ACCESSDENIED);
}

bool is_not_found(DWORD error) {
    return is_error(error, ERROR_FILE_NOT_FOUND) || is_error(error, ERROR_PATH_NOT_FOUND);
}

std::string scope_name(StoreScope scope) {
    return scope == StoreScope::CurrentUser ? "CurrentUser" : "LocalMachine";
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string to_hex(const BYTE* bytes, DWORD length) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2u);
    for (DWORD i = 0; i < length; ++i) {
        hex.push_back(kDigits[bytes[i] >> 4]);
        hex.push_back(kDigits[bytes[i] & 0x0f]);
    }
    return hex;
}

std::string encoded_sha256(const BYTE* der, DWORD length) {
    BYTE digest[32];
    DWORD digest_length = sizeof digest;
    if (!CryptHashCertificate2(BCRYPT_SHA256_ALGORITHM, 0, nullptr, der, length, digest,
                               &digest_length)) {
        throw Failure{kUnavailable, "Windows could not compute a SHA-256 fingerprint: " +
                                        error_text(GetLastError())};
    }
    return to_hex(digest, digest_length);
}

enum class OpenMode {
    ReadExisting,   // contains(): a store that does not exist holds nothing
    WriteExisting,  // remove(): likewise
    WriteCreate,    // add(): create the system store if this user/machine has none yet (wine)
};

// Returns an empty handle when the store does not exist in an *Existing mode; throws
// epos::Failure when it exists but cannot be opened.
StoreHandle open_store(const StoreLocation& location, OpenMode mode, const std::string& label) {
    DWORD flags = location.scope == StoreScope::CurrentUser ? CERT_SYSTEM_STORE_CURRENT_USER
                                                            : CERT_SYSTEM_STORE_LOCAL_MACHINE;
    if (mode != OpenMode::WriteCreate) {
        flags |= CERT_STORE_OPEN_EXISTING_FLAG;
    }
    if (mode == OpenMode::ReadExisting) {
        flags |= CERT_STORE_READONLY_FLAG;
    }
    HCERTSTORE handle = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, location.name.c_str());
    if (handle != nullptr) {
        return StoreHandle{handle};
    }
    const DWORD error = GetLastError();
    if (mode != OpenMode::WriteCreate && is_not_found(error)) {
        return StoreHandle{nullptr};
    }
    if (is_access_denied(error)) {
        throw Failure{kAccessDenied, "Windows denied access to " + label +
                                         " (an administrator account is needed for the "
                                         "machine's stores): " +
                                         error_text(error)};
    }
    throw Failure{kUnavailable, "Windows could not open " + label + ": " + error_text(error)};
}

// The entry whose encoded certificate has this SHA-256. Computed over the encoded bytes rather
// than read from CERT_SHA256_HASH_PROP_ID: that property is only cached where something
// already asked for it, and CERT_FIND_SHA256_HASH is missing on older Windows and on wine.
ContextHandle find_by_sha256(HCERTSTORE store, const std::string& sha256) {
    PCCERT_CONTEXT context = nullptr;
    while ((context = CertEnumCertificatesInStore(store, context)) != nullptr) {
        if (encoded_sha256(context->pbCertEncoded, context->cbCertEncoded) == sha256) {
            return ContextHandle{context};  // enumeration stopped: the context is ours to free
        }
    }
    return ContextHandle{};
}

// Writes a change through to the registry before the handle closes. Windows' registry-backed
// system stores persist each change at once (the call is then a no-op), but wine's
// system-store collection (ROOT, TrustedPeople) loses a delete at close without it: measured
// under wine 8, the entry was back on the next open.
void commit(HCERTSTORE store) {
    CertControlStore(store, 0, CERT_STORE_CTRL_COMMIT, nullptr);
}

StoreResult failed(std::string code, std::string reason) {
    return StoreResult{Outcome::Failed, std::move(code), std::move(reason)};
}

// Why a write was refused, as a StoreResult. ERROR_CANCELLED is the person answering "No" to
// the confirmation Windows shows for every CurrentUser ROOT change (docs/browser-behaviour.md §7).
StoreResult write_failure(DWORD error, const std::string& action, const std::string& label) {
    if (is_error(error, ERROR_CANCELLED)) {
        return failed("store_change_declined",
                      "The change to " + label + " was declined in the Windows confirmation.");
    }
    if (is_access_denied(error)) {
        return failed(kAccessDenied, "Windows denied " + action + " " + label +
                                         " (an administrator account is needed for the "
                                         "machine's stores): " +
                                         error_text(error));
    }
    return failed(kWriteFailed,
                  "Windows could not " + action + " " + label + ": " + error_text(error));
}

}  // namespace

StoreLocation StoreLocation::current_user_root() {
    return StoreLocation{StoreScope::CurrentUser, L"ROOT", TrustKind::Anchor};
}

StoreLocation StoreLocation::local_machine_trusted_people() {
    return StoreLocation{StoreScope::LocalMachine, L"TrustedPeople", TrustKind::TrustedPeer};
}

WindowsCertStore::WindowsCertStore(StoreLocation location) : location_(std::move(location)) {}

std::string WindowsCertStore::id() const {
    return "windows:" + location();
}

std::string WindowsCertStore::location() const {
    return scope_name(location_.scope) + "/" + narrow(location_.name);
}

std::string WindowsCertStore::label() const {
    // The names certmgr.msc / certlm.msc show, so a person can find the entry there.
    const std::string name = narrow(location_.name);
    std::string shown = name;
    if (lowercase(name) == "root") {
        shown = "Trusted Root Certification Authorities";
    } else if (lowercase(name) == "trustedpeople") {
        shown = "Trusted People";
    }
    return "Windows: " + shown +
           (location_.scope == StoreScope::CurrentUser ? " (current user)" : " (local computer)");
}

bool WindowsCertStore::contains(const std::string& sha256) {
    const StoreHandle store = open_store(location_, OpenMode::ReadExisting, label());
    if (!store) {
        return false;
    }
    return static_cast<bool>(find_by_sha256(store.get(), lowercase(sha256)));
}

StoreResult WindowsCertStore::add(const CertificateRecord& cert) {
    try {
        ContextHandle candidate{CertCreateCertificateContext(kEncoding, cert.der.data(),
                                                             static_cast<DWORD>(cert.der.size()))};
        if (!candidate) {
            return failed(kCertificateInvalid,
                          "Windows cannot read this certificate: " + error_text(GetLastError()));
        }
        const std::string sha256 =
            encoded_sha256(cert.der.data(), static_cast<DWORD>(cert.der.size()));
        if (!cert.sha256.empty() && lowercase(cert.sha256) != sha256) {
            return failed(kFingerprintMismatch, "The certificate's SHA-256 fingerprint is " +
                                                    sha256 + ", not " + cert.sha256 +
                                                    "; nothing was installed.");
        }

        const StoreHandle store = open_store(location_, OpenMode::WriteCreate, label());
        if (find_by_sha256(store.get(), sha256)) {
            return StoreResult{Outcome::AlreadyPresent, {}, {}};
        }

        // The friendly name is what a person sees in certmgr.msc next to the entry: set it on
        // the context before adding so the entry never exists without it.
        if (!cert.nickname.empty()) {
            std::wstring name = widen(cert.nickname);
            CRYPT_DATA_BLOB blob{static_cast<DWORD>((name.size() + 1) * sizeof(wchar_t)),
                                 reinterpret_cast<BYTE*>(name.data())};
            if (!CertSetCertificateContextProperty(candidate.get(), CERT_FRIENDLY_NAME_PROP_ID, 0,
                                                   &blob)) {
                return failed(kWriteFailed, "Windows could not name the certificate: " +
                                                error_text(GetLastError()));
            }
        }
        if (!CertAddCertificateContextToStore(store.get(), candidate.get(), CERT_STORE_ADD_NEW,
                                              nullptr)) {
            const DWORD error = GetLastError();
            if (error == static_cast<DWORD>(CRYPT_E_EXISTS)) {
                return StoreResult{Outcome::AlreadyPresent, {}, {}};  // added meanwhile
            }
            return write_failure(error, "adding the certificate to", label());
        }
        commit(store.get());
        // Report only what a fresh look at the store confirms (see commit()).
        if (!contains(sha256)) {
            return failed(kWriteFailed, "Windows accepted the certificate into " + label() +
                                            " but it is not there afterwards.");
        }
        return StoreResult{Outcome::Installed, {}, {}};
    } catch (const Failure& failure) {
        return failed(failure.code(), failure.what());
    }
}

StoreResult WindowsCertStore::remove(const std::string& sha256) {
    try {
        const StoreHandle store = open_store(location_, OpenMode::WriteExisting, label());
        if (!store) {
            return StoreResult{Outcome::NotPresent, {}, {}};
        }
        ContextHandle entry = find_by_sha256(store.get(), lowercase(sha256));
        if (!entry) {
            return StoreResult{Outcome::NotPresent, {}, {}};
        }
        if (!CertDeleteCertificateFromStore(entry.release())) {
            return write_failure(GetLastError(), "removing the certificate from", label());
        }
        commit(store.get());
        if (contains(sha256)) {
            return failed(kWriteFailed, "Windows reported the certificate removed from " + label() +
                                            " but it is still there.");
        }
        return StoreResult{Outcome::Removed, {}, {}};
    } catch (const Failure& failure) {
        return failed(failure.code(), failure.what());
    }
}

std::string WindowsCertStore::friendly_name(const std::string& sha256) {
    const StoreHandle store = open_store(location_, OpenMode::ReadExisting, label());
    if (!store) {
        return {};
    }
    const ContextHandle entry = find_by_sha256(store.get(), lowercase(sha256));
    if (!entry) {
        return {};
    }
    DWORD size = 0;
    if (!CertGetCertificateContextProperty(entry.get(), CERT_FRIENDLY_NAME_PROP_ID, nullptr,
                                           &size) ||
        size < sizeof(wchar_t)) {
        return {};
    }
    std::wstring name(size / sizeof(wchar_t), L'\0');
    if (!CertGetCertificateContextProperty(entry.get(), CERT_FRIENDLY_NAME_PROP_ID, name.data(),
                                           &size)) {
        return {};
    }
    while (!name.empty() && name.back() == L'\0') {
        name.pop_back();
    }
    return narrow(name);
}

std::string certificate_sha256(const std::vector<unsigned char>& der) {
    return encoded_sha256(der.data(), static_cast<DWORD>(der.size()));
}

bool process_is_elevated() {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
        return false;
    }
    TOKEN_ELEVATION elevation{};
    DWORD size = sizeof elevation;
    const bool ok =
        GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &size) != 0;
    CloseHandle(token);
    return ok && elevation.TokenIsElevated != 0;
}

}  // namespace epos::store::windows
