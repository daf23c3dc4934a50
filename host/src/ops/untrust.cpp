#include "ops/untrust.hpp"

#include "ops/trust.hpp"
#include "store/locator.hpp"
#include "util/failure.hpp"

namespace epos::ops {

store::StoreSpec journal_store_spec(const store::JournalEntry& entry) {
    const auto kind = store::parse_store_kind(entry.kind);
    if (!kind) {  // written by a later version: this one cannot open it
        throw Failure("no_store", "This build of epos-trust cannot write a \"" + entry.kind +
                                      "\" store (" + entry.location + ").");
    }
    return {*kind, entry.location,
            entry.trust == "anchor" ? store::TrustKind::Anchor : store::TrustKind::TrustedPeer,
            Caller::Family::Cli, entry.location};
}

UntrustResult untrust(const std::string& sha256_text, store::Journal& journal) {
    const std::string sha256 = normalise_sha256(sha256_text);
    UntrustResult untrusted{sha256, {}};
    bool found = false;
    journal.update([&](std::vector<store::JournalEntry>& entries) {
        std::vector<store::JournalEntry> kept;
        for (const auto& entry : entries) {
            if (entry.sha256 != sha256) {
                kept.push_back(entry);
                continue;
            }
            found = true;
            store::StoreResult result;
            try {
                result = store::open_store(journal_store_spec(entry))->remove(sha256);
            } catch (const Failure& failure) {
                result = {store::Outcome::Failed, failure.code(), failure.what()};
            }
            UntrustOutcome item{entry.store_id, entry.kind, entry.location, result.outcome};
            if (item.failed()) {
                item.code = result.code;
                item.reason = result.reason;
                kept.push_back(entry);
            }
            untrusted.stores.push_back(std::move(item));
        }
        const bool changed = kept.size() != entries.size();
        entries = std::move(kept);
        return changed;
    });
    if (!found) {
        throw Failure("not_trusted",
                      "epos-trust has not installed a certificate with this "
                      "fingerprint; it removes only what it installed.");
    }
    return untrusted;
}

UntrustResult untrust(const Context&, const std::string& sha256) {
    store::Journal journal(store::default_journal_path());
    return untrust(sha256, journal);
}

}  // namespace epos::ops
