#include "ops/list.hpp"

#include <map>
#include <optional>

#include "cert/certificate.hpp"
#include "cert/names.hpp"
#include "ops/untrust.hpp"
#include "store/locator.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

// The public names of the certificate a store holds under `sha256`, read back from the store
// itself rather than from the journal: the installs this looks for were made before trust
// refused such certificates, by versions whose journal recorded no names. nullopt when the store
// cannot give the certificate back.
std::optional<std::vector<std::string>> public_names_in(store::TrustStore& store,
                                                        const std::string& sha256) {
    const auto der = store.certificate(sha256);
    if (!der) {
        return std::nullopt;
    }
    try {
        const auto leaf = cert::Certificate::from_der(*der);
        if (leaf.sha256() != sha256) {
            return std::nullopt;
        }
        std::vector<std::string> names;
        for (const auto& name : cert::public_names(leaf)) {
            names.push_back(name.value);
        }
        return names;
    } catch (const Failure&) {
        return std::nullopt;  // a certificate the store holds but this host cannot parse
    }
}

}  // namespace

ListResult list(const store::Journal& journal) {
    ListResult result;
    // One certificate's names, once known, hold for every store that holds it (same SHA-256,
    // same bytes).
    std::map<std::string, std::vector<std::string>> names_by_sha256;
    for (const auto& entry : journal.read()) {
        ListEntry item{entry, std::nullopt, std::nullopt, std::nullopt};
        try {
            const auto store = store::open_store(journal_store_spec(entry));
            item.present = store->contains(entry.sha256);
            if (!names_by_sha256.count(entry.sha256)) {
                if (auto names = public_names_in(*store, entry.sha256)) {
                    names_by_sha256[entry.sha256] = std::move(*names);
                }
            }
        } catch (const Failure& failure) {
            item.present = std::nullopt;
            item.error = ListEntry::Error{failure.code(), failure.what()};
        }
        result.entries.push_back(std::move(item));
    }
    for (auto& item : result.entries) {
        const auto found = names_by_sha256.find(item.journaled.sha256);
        if (found != names_by_sha256.end()) {
            item.public_names = found->second;
        }
    }
    return result;
}

ListResult list(const Context&) {
    return list(store::Journal(store::default_journal_path()));
}

}  // namespace epos::ops
