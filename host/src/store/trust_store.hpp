#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace epos::store {

// What a store needs of a certificate. Plain bytes and hex, no OpenSSL type, so that this
// interface and the Windows store build for a target that has only crypt32 (mingw-w64).
struct CertificateRecord {
    std::vector<unsigned char> der;
    std::string sha256;    // lowercase hex, no separators
    std::string sha1;      // lowercase hex, no separators
    std::string nickname;  // label written into the store: "epos-trust <address> <sha256 prefix>"
};

// How a store trusts what it holds (docs/design.md "Trust rules", docs/browser-behaviour.md §5 and
// §7).
enum class TrustKind {
    TrustedPeer,  // a leaf and never a CA: NSS "P,,", Windows LocalMachine TrustedPeople
    Anchor,       // a root: NSS "C,,", Windows ROOT, macOS trustRoot
};

// Which kind of store: the code switches on this, never on its name. The name ("nss",
// "system", "windows", "macos") is what the journal and the protocol's `kind` carry.
enum class StoreKind { Nss, System, Windows, Macos };

enum class Outcome { Installed, AlreadyPresent, Removed, NotPresent, Failed };

const char* to_string(Outcome outcome);
const char* to_string(TrustKind kind);
const char* to_string(StoreKind kind);
// The kind a journal entry names; nullopt for a name this version does not know.
std::optional<StoreKind> parse_store_kind(std::string_view name);

struct StoreResult {
    Outcome outcome = Outcome::Failed;
    std::string code;    // stable machine code when outcome == Failed (e.g. "store_read_only")
    std::string reason;  // human sentence when outcome == Failed
    // AlreadyPresent: the entry carries epos-trust's own label, so epos-trust wrote it (a journal
    // that was moved aside, or a trust from before write-ahead journaling) and may journal it.
    bool own = false;
};

// One trust store, with the tiny surface of mkcert's truststore_*.go and Chromium's
// trust_store_*.cc: look up, add, remove, all by SHA-256 fingerprint. add() and remove() never
// throw for a store-level problem: a locked or read-only database is a per-store failure that
// the caller reports next to the other stores' results.
class TrustStore {
  public:
    virtual ~TrustStore() = default;

    virtual std::string id() const = 0;  // stable key for the journal: "nss:/path/to/db"
    virtual StoreKind kind() const = 0;
    virtual std::string location() const = 0;  // database directory, store name, keychain path
    virtual std::string label() const = 0;     // for people: "Chromium (~/.pki/nssdb)"
    virtual TrustKind trust_kind() const = 0;

    // True if a certificate with this fingerprint is in the store with our trust.
    // Throws epos::Failure if the store cannot be read at all.
    virtual bool contains(const std::string& sha256) = 0;
    // The DER of the certificate with this fingerprint as the store holds it, whatever its
    // trust, so that list and doctor can judge what an older install let in (a certificate with
    // public names). nullopt when the store does not hold it or cannot give it back (the default:
    // a store that has not learnt to read certificates back). Throws like contains().
    virtual std::optional<std::vector<unsigned char>> certificate(const std::string& sha256) {
        (void)sha256;
        return std::nullopt;
    }
    virtual StoreResult add(const CertificateRecord& cert) = 0;
    virtual StoreResult remove(const std::string& sha256) = 0;
};

}  // namespace epos::store
