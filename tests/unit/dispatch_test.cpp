#include "nm/dispatch.hpp"

#include <gtest/gtest.h>

#include "nm/launch.hpp"
#include "util/utf8.hpp"

namespace epos::nm {
namespace {

nlohmann::json run(std::string_view body) {
    ops::Context context;
    return nlohmann::json::parse(dispatch(body, context));
}

TEST(Dispatch, HelloEchoesTheId) {
    const auto reply = run(R"({"id":"x1","cmd":"hello"})");
    EXPECT_EQ(reply["id"], "x1");
    EXPECT_TRUE(reply["ok"].get<bool>());
    EXPECT_EQ(reply["result"]["protocol"], 1);
}

TEST(Dispatch, ErrorsHaveStableCodes) {
    EXPECT_EQ(run("nope")["error"]["code"], "invalid_json");
    EXPECT_EQ(run("[]")["error"]["code"], "invalid_json");
    EXPECT_EQ(run(R"({"cmd":"hello"})")["error"]["code"], "bad_request");
    EXPECT_EQ(run(R"({"id":true,"cmd":"hello"})")["error"]["code"], "bad_request");
    EXPECT_EQ(run(R"({"id":1})")["error"]["code"], "bad_request");
    EXPECT_EQ(run(R"({"id":1,"cmd":"reboot"})")["error"]["code"], "unknown_command");
    EXPECT_EQ(run(R"({"id":1,"cmd":"inspect"})")["error"]["code"], "bad_request");
    EXPECT_EQ(run(R"({"id":1,"cmd":"inspect","url":"http://x"})")["error"]["code"], "bad_url");
    EXPECT_EQ(run("{\"id\":1,\"cmd\":\"\xff\"}")["error"]["code"], "invalid_utf8");
}

TEST(Dispatch, DeepNestingIsRefusedBeforeParsing) {
    const std::string deep =
        R"({"id":1,"cmd":"hello","x":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
    EXPECT_EQ(run(deep)["error"]["code"], "invalid_json");
    // Brackets inside strings do not count.
    EXPECT_TRUE(run(R"({"id":1,"cmd":"hello","x":")" + std::string(100, '[') + "\"}")["ok"]);
}

TEST(Dispatch, BrokenPolicyRefusesInspectButNotHello) {
    ops::Context context;
    context.policy.error = "policy.json is writable by everyone";
    EXPECT_TRUE(nlohmann::json::parse(dispatch(R"({"id":1,"cmd":"hello"})", context))["ok"]);
    const auto reply = nlohmann::json::parse(
        dispatch(R"({"id":1,"cmd":"inspect","url":"https://127.0.0.1"})", context));
    EXPECT_EQ(reply["error"]["code"], "policy_invalid");
}

TEST(Launch, RecognisesChromium) {
    const char* argv[] = {"epos-trust", "chrome-extension://abcdefghijklmnopabcdefghijklmnop/",
                          "--parent-window=0"};
    const auto caller = browser_launch(3, argv);
    ASSERT_TRUE(caller);
    EXPECT_EQ(caller->family, Caller::Family::Chrome);
    EXPECT_EQ(caller->extension, "chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
}

TEST(Launch, RecognisesFirefox) {
    const char* argv[] = {"epos-trust",
                          "/usr/lib/mozilla/native-messaging-hosts/com.epos_trust.host.json",
                          "epos-trust@epos-trust.org"};
    const auto caller = browser_launch(3, argv);
    ASSERT_TRUE(caller);
    EXPECT_EQ(caller->family, Caller::Family::Firefox);
    EXPECT_EQ(caller->extension, "epos-trust@epos-trust.org");
}

TEST(Launch, EverythingElseIsTheCommandLine) {
    const char* inspect[] = {"epos-trust", "inspect", "https://127.0.0.1"};
    EXPECT_FALSE(browser_launch(3, inspect));
    const char* bare[] = {"epos-trust"};
    EXPECT_FALSE(browser_launch(1, bare));
    const char* json_option[] = {"epos-trust", "x.json", "--json"};
    EXPECT_FALSE(browser_launch(3, json_option));
}

TEST(Utf8, AcceptsValidAndRefusesInvalid) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\xa8"));
    EXPECT_FALSE(is_valid_utf8("\xc3"));              // cut short
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xff"));
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));
}

}  // namespace
}  // namespace epos::nm
