// The relay's decision (ops::plan_relay), without the network: which requests are carried, to
// which certificates, and which are refused with which code. Also the journal and policy fields
// it reads (pos_origins, spki_sha256), old journals included.
#include <gtest/gtest.h>

#include "ops/relay.hpp"
#include "policy/policy.hpp"
#include "store/journal.hpp"
#include "util/failure.hpp"
#include "wire/policy_json.hpp"

namespace epos::ops {
namespace {

const std::string kPrinter = "https://127.0.0.25:8443";
const std::string kPos = "https://pos.example.com";
const std::string kShaA(64, 'a');
const std::string kShaB(64, 'b');
const std::string kShaPin(64, 'c');

RelayRequest print_request() {
    RelayRequest request;
    request.url = kPrinter;
    request.path = kRelayPath;
    request.query = "devid=local_printer&timeout=10000";
    request.method = "POST";
    request.body = "<s:Envelope/>";
    request.content_type = "text/xml";
    request.origin = kPos;
    return request;
}

store::JournalEntry trust_of(const std::string& sha, std::vector<std::string> origins,
                             const std::string& url = kPrinter, const std::string& spki = "k=") {
    store::JournalEntry entry;
    entry.sha256 = sha;
    entry.store_id = "nss:/db";
    entry.url = url;
    entry.pos_origins = std::move(origins);
    entry.spki_sha256 = spki;
    return entry;
}

// The code plan_relay refuses with, "" when it plans.
std::string refusal(const RelayRequest& request, const policy::Policy& policy,
                    const std::vector<store::JournalEntry>& journal) {
    try {
        plan_relay(request, policy, journal);
    } catch (const Failure& failure) {
        return failure.code();
    }
    return {};
}

TEST(RelayPlan, ATrustForThisPageAllowsItsCertificateWithItsKeyPin) {
    const auto plan = plan_relay(print_request(), {}, {trust_of(kShaA, {kPos})});
    EXPECT_EQ(plan.leaf_sha256, std::vector<std::string>{kShaA});
    EXPECT_EQ(plan.spki_sha256, std::vector<std::string>{"k="});
    EXPECT_TRUE(plan.trusted_for_origin);
    EXPECT_EQ(plan.target.origin(), kPrinter);
}

TEST(RelayPlan, OnlyTheEposPathPostAndBoundedSizesAreRelayed) {
    const std::vector<store::JournalEntry> journal{trust_of(kShaA, {kPos})};
    for (const std::string path : {"/", "", "/cgi-bin/epos/service.cgi/", "/cgi-bin/fpmate.cgi",
                                   "/cgi-bin/epos/service.cgi?x", "/CGI-BIN/EPOS/SERVICE.CGI"}) {
        auto request = print_request();
        request.path = path;
        EXPECT_EQ(refusal(request, {}, journal), "relay_refused") << path;
    }
    for (const std::string method : {"GET", "post", "PUT", "OPTIONS", ""}) {
        auto request = print_request();
        request.method = method;
        EXPECT_EQ(refusal(request, {}, journal), "relay_refused") << method;
    }
    auto big = print_request();
    big.body.assign(kMaxRelayBody + 1, 'x');
    EXPECT_EQ(refusal(big, {}, journal), "relay_refused");
    big.body.assign(kMaxRelayBody, 'x');
    EXPECT_EQ(refusal(big, {}, journal), "");
    for (const std::string& query : std::vector<std::string>{
             "a b", "a#b", "a\r\nX: y", std::string(kMaxRelayQuery + 1, 'q')}) {
        auto request = print_request();
        request.query = query;
        EXPECT_EQ(refusal(request, {}, journal), "relay_refused") << query;
    }
    auto empty_query = print_request();
    empty_query.query = "";
    EXPECT_EQ(refusal(empty_query, {}, journal), "");
}

TEST(RelayPlan, MalformedFieldsAreBadRequests) {
    const std::vector<store::JournalEntry> journal{trust_of(kShaA, {kPos})};
    for (const std::string origin :
         {"", "pos.example.com", "https://POS.example.com", "https://pos.example.com/",
          "http://pos.example.com", "https://pos.example.com:443"}) {
        auto request = print_request();
        request.origin = origin;
        EXPECT_EQ(refusal(request, {}, journal), "bad_request") << origin;
    }
    auto header = print_request();
    header.content_type = "text/xml\r\nX-Injected: 1";
    EXPECT_EQ(refusal(header, {}, journal), "bad_request");
    auto fast = print_request();
    fast.timeout = std::chrono::milliseconds(999);
    EXPECT_EQ(refusal(fast, {}, journal), "bad_request");
    auto url = print_request();
    url.url = "https://user@127.0.0.25:8443";
    EXPECT_EQ(refusal(url, {}, journal), "bad_url");
}

TEST(RelayPlan, NoTrustNoPinIsNotTrusted) {
    EXPECT_EQ(refusal(print_request(), {}, {}), "relay_not_trusted");
    // A trust of another printer does not count.
    EXPECT_EQ(refusal(print_request(), {}, {trust_of(kShaA, {kPos}, "https://127.0.0.26:8443")}),
              "relay_not_trusted");
}

TEST(RelayPlan, ATrustForAnotherPageOnlyIsOriginNotAllowed) {
    EXPECT_EQ(refusal(print_request(), {}, {trust_of(kShaA, {"https://other.example.com"})}),
              "relay_origin_not_allowed");
    // An old journal entry (no pos_origins) relays for no page.
    EXPECT_EQ(refusal(print_request(), {}, {trust_of(kShaA, {})}), "relay_origin_not_allowed");
}

TEST(RelayPlan, ThePolicysOriginsAreTheWholeSet) {
    policy::Policy policy;
    policy.pos_origins = std::vector<std::string>{"https://other.example.com"};
    EXPECT_EQ(refusal(print_request(), policy, {trust_of(kShaA, {kPos})}),
              "relay_origin_not_allowed");
    policy.pinned_sha256 = {kShaPin};
    EXPECT_EQ(refusal(print_request(), policy, {}), "relay_origin_not_allowed");
    policy.pos_origins = std::vector<std::string>{kPos};
    EXPECT_EQ(refusal(print_request(), policy, {trust_of(kShaA, {kPos})}), "");
}

TEST(RelayPlan, APinAllowsWithoutAJournalEntryButWithoutAKeyPin) {
    policy::Policy policy;
    policy.pinned_sha256 = {kShaPin};
    const auto plan = plan_relay(print_request(), policy, {});
    EXPECT_EQ(plan.leaf_sha256, std::vector<std::string>{kShaPin});
    EXPECT_TRUE(plan.spki_sha256.empty());  // the pin's key is not known
    EXPECT_FALSE(plan.trusted_for_origin);
    // With a trust as well: both certificates, still no key pin (the pin's is unknown).
    const auto both = plan_relay(print_request(), policy, {trust_of(kShaA, {kPos})});
    EXPECT_EQ(both.leaf_sha256, (std::vector<std::string>{kShaA, kShaPin}));
    EXPECT_TRUE(both.spki_sha256.empty());
}

TEST(RelayPlan, AnInvalidPolicyFailsClosed) {
    policy::Policy policy;
    policy.error = "The machine policy is invalid: ...";
    EXPECT_EQ(refusal(print_request(), policy, {trust_of(kShaA, {kPos})}), "policy_invalid");
}

TEST(RelayPlan, TrustsForOtherPagesAreKeptApartAndAKeyPinNeedsEveryKey) {
    const auto plan = plan_relay(print_request(), {},
                                 {trust_of(kShaA, {kPos}), trust_of(kShaB, {"https://x.example"}),
                                  trust_of(kShaA, {"https://x.example"}, kPrinter, "k=")});
    EXPECT_EQ(plan.leaf_sha256, std::vector<std::string>{kShaA});
    EXPECT_EQ(plan.trusted_elsewhere, std::vector<std::string>{kShaB});
    const auto no_key = plan_relay(
        print_request(), {}, {trust_of(kShaA, {kPos}), trust_of(kShaB, {kPos}, kPrinter, "")});
    EXPECT_EQ(no_key.leaf_sha256, (std::vector<std::string>{kShaA, kShaB}));
    EXPECT_TRUE(no_key.spki_sha256.empty());
}

TEST(RelayJournal, PosOriginsAndKeyPinRoundTripAndOldJournalsLoad) {
    store::JournalEntry entry = trust_of(kShaA, {kPos, "https://b.example"});
    const auto back = store::parse_journal(store::serialize_journal({entry}));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0], entry);
    const auto old = store::parse_journal(
        R"({"version":1,"entries":[{"sha256":"aa","store":"s","kind":"nss","location":"/db",)"
        R"("trust":"trusted_peer","nickname":"n","address":"a","url":"u","installed_at":"t"}]})");
    ASSERT_EQ(old.size(), 1u);
    EXPECT_TRUE(old[0].pos_origins.empty());
    EXPECT_EQ(old[0].spki_sha256, "");
    EXPECT_THROW(store::parse_journal(
                     R"({"version":1,"entries":[{"sha256":"aa","store":"s","kind":"nss",)"
                     R"("location":"/db","trust":"trusted_peer","nickname":"n","address":"a",)"
                     R"("url":"u","installed_at":"t","pos_origins":"https://x"}]})"),
                 Failure);
}

TEST(RelayPolicy, PosOriginsParseAndFailClosedOnAnythingElse) {
    const auto policy =
        policy::parse_policy(R"({"pos_origins":["https://pos.example.com","https://h:8069",)"
                             R"("https://pos.example.com"]})");
    ASSERT_TRUE(policy.pos_origins.has_value());
    EXPECT_EQ(*policy.pos_origins,
              (std::vector<std::string>{"https://pos.example.com", "https://h:8069"}));
    EXPECT_TRUE(policy.allows_pos_origin("https://h:8069"));
    EXPECT_FALSE(policy.allows_pos_origin("https://evil.example"));
    EXPECT_TRUE(policy::Policy{}.allows_pos_origin("https://evil.example"));
    for (const char* bad :
         {R"({"pos_origins":"https://pos.example.com"})", R"({"pos_origins":[1]})",
          R"({"pos_origins":["https://pos.example.com/"]})",
          R"({"pos_origins":["http://pos.example.com"]})",
          R"({"pos_origins":["https://POS.example.com"]})", R"({"pos_origins":[null]})"}) {
        EXPECT_THROW(policy::parse_policy(bad), Failure) << bad;
    }
    EXPECT_EQ(wire::to_json(policy)["pos_origins"].size(), 2u);
    EXPECT_FALSE(wire::to_json(policy::Policy{}).contains("pos_origins"));
}

}  // namespace
}  // namespace epos::ops
