#include "store/journal_format.hpp"

#include <nlohmann/json.hpp>

#include "util/failure.hpp"

namespace epos::store {
namespace {

constexpr int kJournalVersion = 1;

nlohmann::json to_json(const JournalEntry& e) {
    return {{"sha256", e.sha256},
            {"store", e.store_id},
            {"kind", e.kind},
            {"location", e.location},
            {"trust", e.trust},
            {"nickname", e.nickname},
            {"address", e.address},
            {"url", e.url},
            {"installed_at", e.installed_at},
            {"pos_origins", e.pos_origins},
            {"spki_sha256", e.spki_sha256}};
}

// The fields added after version 1 was first written: absent in older files, which still load;
// present but of the wrong type, the file is not a journal.
std::vector<std::string> optional_strings(const nlohmann::json& object, const char* name) {
    std::vector<std::string> out;
    const auto it = object.find(name);
    if (it == object.end()) {
        return out;
    }
    if (!it->is_array()) {
        throw Failure("journal_corrupt",
                      std::string("journal entry whose \"") + name + "\" is not a list of strings");
    }
    for (const auto& item : *it) {
        if (!item.is_string()) {
            throw Failure("journal_corrupt", std::string("journal entry whose \"") + name +
                                                 "\" is not a list of strings");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::string optional_string(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end()) {
        return {};
    }
    if (!it->is_string()) {
        throw Failure("journal_corrupt",
                      std::string("journal entry whose \"") + name + "\" is not a string");
    }
    return it->get<std::string>();
}

std::string field(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) {
        throw Failure("journal_corrupt",
                      std::string("journal entry without a string \"") + name + "\"");
    }
    return it->get<std::string>();
}

}  // namespace

std::string serialize_journal(const std::vector<JournalEntry>& entries) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& entry : entries) {
        list.push_back(to_json(entry));
    }
    return nlohmann::json{{"version", kJournalVersion}, {"entries", list}}.dump(2) + "\n";
}

std::vector<JournalEntry> parse_journal(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("entries") ||
        !json["entries"].is_array()) {
        throw Failure("journal_corrupt", "the journal is not a JSON object with \"entries\"");
    }
    if (!json.contains("version") || json["version"] != kJournalVersion) {
        throw Failure("journal_corrupt", "the journal has an unknown version");
    }
    std::vector<JournalEntry> entries;
    for (const auto& item : json["entries"]) {
        if (!item.is_object()) {
            throw Failure("journal_corrupt", "a journal entry is not an object");
        }
        entries.push_back({field(item, "sha256"), field(item, "store"), field(item, "kind"),
                           field(item, "location"), field(item, "trust"), field(item, "nickname"),
                           field(item, "address"), field(item, "url"), field(item, "installed_at"),
                           optional_strings(item, "pos_origins"),
                           optional_string(item, "spki_sha256")});
    }
    return entries;
}

}  // namespace epos::store
