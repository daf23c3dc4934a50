// store/journal_format.hpp: the journal file's JSON, without a disk.
#include "store/journal_format.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "util/failure.hpp"

namespace epos::store {
namespace {

JournalEntry entry() {
    return {std::string(64, 'a'),
            "nss:/db",
            "nss",
            "/db",
            "trusted_peer",
            "epos-trust 127.0.0.1 ab",
            "127.0.0.1",
            "https://127.0.0.1",
            "2025-01-31T12:00:00Z",
            {"https://pos.example.com"},
            "c3BraQ=="};
}

std::string corrupt_reason(const std::string& text) {
    try {
        parse_journal(text);
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "journal_corrupt") << text;
        return failure.what();
    }
    ADD_FAILURE() << "accepted: " << text;
    return {};
}

TEST(JournalFormat, RoundTrips) {
    const std::vector<JournalEntry> entries = {entry(), entry()};
    EXPECT_EQ(parse_journal(serialize_journal(entries)), entries);
    EXPECT_TRUE(parse_journal(serialize_journal({})).empty());
}

TEST(JournalFormat, TheFileIsVersionOneWithEveryField) {
    const auto json = nlohmann::json::parse(serialize_journal({entry()}));
    EXPECT_EQ(json["version"], 1);
    EXPECT_EQ(json["entries"][0], (nlohmann::json{{"sha256", std::string(64, 'a')},
                                                  {"store", "nss:/db"},
                                                  {"kind", "nss"},
                                                  {"location", "/db"},
                                                  {"trust", "trusted_peer"},
                                                  {"nickname", "epos-trust 127.0.0.1 ab"},
                                                  {"address", "127.0.0.1"},
                                                  {"url", "https://127.0.0.1"},
                                                  {"installed_at", "2025-01-31T12:00:00Z"},
                                                  {"pos_origins", {"https://pos.example.com"}},
                                                  {"spki_sha256", "c3BraQ=="}}));
}

TEST(JournalFormat, OlderEntriesWithoutTheLaterFieldsLoad) {
    auto json = nlohmann::json::parse(serialize_journal({entry()}));
    json["entries"][0].erase("pos_origins");
    json["entries"][0].erase("spki_sha256");
    const auto entries = parse_journal(json.dump());
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_TRUE(entries[0].pos_origins.empty());
    EXPECT_EQ(entries[0].spki_sha256, "");
    EXPECT_EQ(entries[0].sha256, std::string(64, 'a'));
}

TEST(JournalFormat, AnythingElseIsCorrupt) {
    EXPECT_NE(corrupt_reason("{not json").find("entries"), std::string::npos);
    corrupt_reason("[]");
    corrupt_reason(R"({"version":1})");
    EXPECT_NE(corrupt_reason(R"({"version":2,"entries":[]})").find("version"), std::string::npos);
    corrupt_reason(R"({"entries":[]})");
    corrupt_reason(R"({"version":1,"entries":[1]})");
    EXPECT_NE(corrupt_reason(R"({"version":1,"entries":[{"sha256":1}]})").find("sha256"),
              std::string::npos);
    for (const char* field : {"pos_origins", "spki_sha256"}) {
        auto json = nlohmann::json::parse(serialize_journal({entry()}));
        json["entries"][0][field] = 5;
        EXPECT_NE(corrupt_reason(json.dump()).find(field), std::string::npos);
    }
    auto json = nlohmann::json::parse(serialize_journal({entry()}));
    json["entries"][0]["pos_origins"] = {"https://a", 1};
    corrupt_reason(json.dump());
}

}  // namespace
}  // namespace epos::store
