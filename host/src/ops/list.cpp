#include "ops/list.hpp"

#include "ops/untrust.hpp"
#include "store/locator.hpp"
#include "util/failure.hpp"

namespace epos::ops {

nlohmann::json list(const store::Journal& journal) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : journal.read()) {
        nlohmann::json item = {{"sha256", entry.sha256},
                               {"address", entry.address},
                               {"url", entry.url},
                               {"store", entry.store_id},
                               {"kind", entry.kind},
                               {"location", entry.location},
                               {"trust", entry.trust},
                               {"nickname", entry.nickname},
                               {"installed_at", entry.installed_at}};
        try {
            item["present"] = store::open_store(journal_store_spec(entry))->contains(entry.sha256);
        } catch (const Failure& failure) {
            item["present"] = nullptr;
            item["error"] = {{"code", failure.code()}, {"message", failure.what()}};
        }
        entries.push_back(item);
    }
    return {{"entries", entries}};
}

nlohmann::json list(const Context&) {
    return list(store::Journal(store::default_journal_path()));
}

}  // namespace epos::ops
