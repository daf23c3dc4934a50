#include "wire/list_json.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::ListEntry& entry) {
    const auto& journaled = entry.journaled;
    nlohmann::json item = {{"sha256", journaled.sha256},
                           {"address", journaled.address},
                           {"url", journaled.url},
                           {"store", journaled.store_id},
                           {"kind", journaled.kind},
                           {"location", journaled.location},
                           {"trust", journaled.trust},
                           {"nickname", journaled.nickname},
                           {"installed_at", journaled.installed_at}};
    item["present"] = entry.present ? nlohmann::json(*entry.present) : nullptr;
    if (entry.error) {
        item["error"] = {{"code", entry.error->code}, {"message", entry.error->message}};
    }
    if (!entry.public_names) {
        item["too_broad"] = nullptr;  // no store could give the certificate back: unknown
    } else {
        item["too_broad"] = !entry.public_names->empty();
        if (!entry.public_names->empty()) {
            item["public_names"] = *entry.public_names;
        }
    }
    return item;
}

nlohmann::json to_json(const ops::ListResult& result) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : result.entries) {
        entries.push_back(to_json(entry));
    }
    return {{"entries", entries}};
}

}  // namespace epos::wire
