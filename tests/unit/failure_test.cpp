// Failure's details are JSON the faces send as is and callers read without parsing text.
#include "util/failure.hpp"

#include <string>
#include <type_traits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "nm/dispatch.hpp"

namespace epos {
namespace {

// JSON text as details would travel as a JSON string, not the object the protocol promises.
static_assert(!std::is_constructible_v<Failure, std::string, std::string, std::string>);
static_assert(!std::is_constructible_v<Failure, const char*, const char*, const char*>);

TEST(Failure, DetailsAreTheObjectGiven) {
    const Failure failure("fingerprint_mismatch", "another certificate",
                          nlohmann::json{{"presented_sha256", "ab12"}});
    EXPECT_EQ(failure.code(), "fingerprint_mismatch");
    EXPECT_STREQ(failure.what(), "another certificate");
    ASSERT_TRUE(failure.details().is_object());
    EXPECT_EQ(failure.details()["presented_sha256"], "ab12");
}

TEST(Failure, NoDetailsIsNull) {
    EXPECT_TRUE(Failure("busy", "later").details().is_null());
    EXPECT_TRUE(Failure("busy", "later", nlohmann::json()).details().is_null());
}

TEST(Failure, CopiesShareTheDetails) {
    const Failure first("store_failed", "no store", nlohmann::json{{"stores", {1, 2}}});
    Failure copy = first;
    EXPECT_EQ(copy.details(), first.details());
    try {
        throw copy;
    } catch (const Failure& caught) {
        EXPECT_EQ(caught.details()["stores"].size(), 2u);
    }
}

TEST(Failure, ErrorReplyCarriesTheObjectOnly) {
    const auto with = nlohmann::json::parse(nm::error_reply(
        7, "certificate_too_broad", "too broad", nlohmann::json{{"names", {"*.local"}}}));
    EXPECT_EQ(with["error"]["details"], (nlohmann::json{{"names", {"*.local"}}}));
    EXPECT_EQ(with["id"], 7);

    // Neither null nor a value that is not an object becomes error.details.
    for (const nlohmann::json& none :
         {nlohmann::json(nullptr), nlohmann::json("text"), nlohmann::json::array({1})}) {
        const auto reply = nlohmann::json::parse(nm::error_reply(7, "internal", "x", none));
        EXPECT_FALSE(reply["error"].contains("details")) << none.dump();
    }
    // The byte form on the wire: the same object serialised once, key order as nlohmann's.
    EXPECT_EQ(nm::error_reply("a", "fingerprint_mismatch", "m",
                              nlohmann::json{{"presented_sha256", "ab"}}),
              R"({"error":{"code":"fingerprint_mismatch","details":{"presented_sha256":"ab"},)"
              R"("message":"m"},"id":"a","ok":false})");
}

}  // namespace
}  // namespace epos
