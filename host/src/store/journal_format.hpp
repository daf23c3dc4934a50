#pragma once

#include <string>
#include <vector>

namespace epos::store {

// One certificate epos-trust put into one store. The journal is what makes untrust safe: only
// what is written here is ever removed (docs/design.md "Trust rules": "a certificate epos-trust did
// not install is never touched").
struct JournalEntry {
    std::string sha256;        // lowercase hex
    std::string store_id;      // TrustStore::id(), e.g. "nss:/home/ana/.pki/nssdb"
    std::string kind;          // TrustStore::kind()
    std::string location;      // TrustStore::location()
    std::string trust;         // "trusted_peer" or "anchor"
    std::string nickname;      // the label written into the store
    std::string address;       // the printer's address
    std::string url;           // the URL the person trusted
    std::string installed_at;  // UTC, ISO 8601 ("2025-01-31T12:00:00Z")
    // The POS page origins ("https://host[:port]") the person trusted this printer for: the only
    // pages whose prints the host relays to it (ops/relay.hpp). De-duplicated; empty in journals
    // written before the field existed (they still load).
    std::vector<std::string> pos_origins;
    // base64(SHA-256(DER SubjectPublicKeyInfo)) of the leaf: the relay's libcurl key pin
    // (without "sha256//"); "" in older journals.
    std::string spki_sha256;

    bool operator==(const JournalEntry&) const = default;
};

// The journal file's format, and nothing else (no file, no lock): a JSON object
// {"version": 1, "entries": [...]}, one object per JournalEntry. Pure, so that every shape of
// file can be tested without a disk.
std::string serialize_journal(const std::vector<JournalEntry>& entries);
// Throws Failure{"journal_corrupt"} (a sentence saying what is wrong) for anything that is not a
// version 1 journal. Fields added after version 1 was first written (pos_origins, spki_sha256)
// may be absent; a field of the wrong type is corrupt.
std::vector<JournalEntry> parse_journal(const std::string& text);

}  // namespace epos::store
