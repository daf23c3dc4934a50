#include "ops/relay.hpp"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "ops/inspect.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

using Clock = std::chrono::steady_clock;

void add_unique(std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) {
        list.push_back(item);
    }
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// A query as a URL carries it: printable ASCII without space or fragment (what the page's URL
// held after '?', already percent-encoded by the browser).
bool is_sendable_query(const std::string& query) {
    return std::all_of(query.begin(), query.end(),
                       [](char c) { return c > 0x20 && c < 0x7f && c != '#'; });
}

bool is_sendable_header_value(const std::string& value) {
    return value.size() <= 256 &&
           std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

[[noreturn]] void refuse(const std::string& message) {
    throw Failure("relay_refused", message);
}

std::string presented_of(const Failure& failure) {
    const auto& details = failure.details();
    if (const auto it = details.find("presented_sha256"); it != details.end() && it->is_string()) {
        return it->get<std::string>();
    }
    return {};
}

}  // namespace

RelayPlan plan_relay(const RelayRequest& request, const policy::Policy& policy,
                     const std::vector<store::JournalEntry>& journal) {
    if (!policy.error.empty()) {
        throw Failure("policy_invalid", policy.error);
    }
    RelayPlan plan;
    plan.target = net::parse_target(request.url);
    if (!policy::canonical_pos_origin(request.origin)) {
        throw Failure("bad_request",
                      "\"origin\" must be the POS page's origin as the browser writes it "
                      "(\"https://pos.example.com\").");
    }
    // The request's shape: only what an ePOS print is.
    if (request.path != kRelayPath) {
        refuse(std::string("Only prints to the ePOS service (") + kRelayPath +
               ") are relayed, not to \"" + request.path.substr(0, 200) + "\".");
    }
    if (request.method != "POST") {
        refuse("Only POST is relayed, not \"" + request.method.substr(0, 20) + "\".");
    }
    if (request.body.size() > kMaxRelayBody) {
        refuse("The print is " + std::to_string(request.body.size()) +
               " bytes; the relay carries at most " + std::to_string(kMaxRelayBody / 1024) +
               " KiB.");
    }
    if (request.query.size() > kMaxRelayQuery || !is_sendable_query(request.query)) {
        refuse("The print's query is longer than " + std::to_string(kMaxRelayQuery) +
               " characters or holds characters a URL does not carry.");
    }
    if (!is_sendable_header_value(request.content_type)) {
        throw Failure("bad_request",
                      "\"content_type\" must be printable ASCII of at most 256 characters.");
    }
    if (request.timeout < kMinRelayTimeout || request.timeout > kMaxRelayTimeout) {
        throw Failure("bad_request", "\"timeout_ms\" must be between 1000 and 60000.");
    }
    if (!policy.allows_pos_origin(request.origin)) {
        throw Failure("relay_origin_not_allowed",
                      "This computer's policy does not list " + request.origin +
                          " among the POS pages that may print through epos-trust.");
    }
    // Who trusted this printer, for which page.
    const std::string printer = plan.target.origin();
    bool every_key_known = true;
    for (const auto& entry : journal) {
        if (entry.url != printer) {
            continue;
        }
        if (contains(entry.pos_origins, request.origin)) {
            add_unique(plan.leaf_sha256, entry.sha256);
            plan.trusted_for_origin = true;
            if (entry.spki_sha256.empty()) {
                every_key_known = false;
            } else {
                add_unique(plan.spki_sha256, entry.spki_sha256);
            }
        } else {
            add_unique(plan.trusted_elsewhere, entry.sha256);
        }
    }
    std::erase_if(plan.trusted_elsewhere,
                  [&](const std::string& sha) { return contains(plan.leaf_sha256, sha); });
    if (!plan.trusted_for_origin && policy.pinned_sha256.empty()) {
        if (!plan.trusted_elsewhere.empty()) {
            throw Failure("relay_origin_not_allowed", "The printer at " + printer +
                                                          " was trusted for another POS page, not "
                                                          "for " +
                                                          request.origin +
                                                          ": trust it again from this page.");
        }
        throw Failure("relay_not_trusted", "epos-trust has no trust for the printer at " + printer +
                                               ": trust it first.");
    }
    // An administrator's pins: whichever of them this printer presents (checked in the
    // handshake). Their keys are not known, so no key pin then; the full fingerprint still is.
    for (const auto& pin : policy.pinned_sha256) {
        if (!contains(plan.leaf_sha256, pin)) {
            plan.leaf_sha256.push_back(pin);
            every_key_known = false;
        }
    }
    if (!every_key_known) {
        plan.spki_sha256.clear();
    }
    return plan;
}

RelayResult relay(const Context& context, const RelayRequest& request) {
    const auto started = Clock::now();
    std::vector<store::JournalEntry> journal;
    try {
        journal = store::Journal(store::default_journal_path()).read();
    } catch (const Failure&) {
        // A damaged journal trusts nothing; an administrator's pins still hold.
        if (context.policy.pinned_sha256.empty()) {
            throw;
        }
    }
    // The network policy first: a public address learns nothing of what is trusted.
    const auto endpoints = allowed_endpoints(context, net::parse_target(request.url));
    const RelayPlan plan = plan_relay(request, context.policy, journal);

    net::HttpRequest http;
    http.target = plan.target;
    http.path = request.path;
    http.query = request.query;
    // What the page's fetch would have sent with a string body and no Content-Type.
    http.content_type =
        request.content_type.empty() ? "text/plain;charset=UTF-8" : request.content_type;
    http.body = request.body;
    http.leaf_sha256 = plan.leaf_sha256;
    for (const auto& spki : plan.spki_sha256) {
        http.spki_sha256 += (http.spki_sha256.empty() ? "" : ";sha256//") + spki;
    }
    http.total_timeout = request.timeout;
    http.connect_timeout =
        std::min(request.timeout, context.timeouts.connect + context.timeouts.handshake);

    std::optional<net::HttpResponse> response;
    std::optional<Failure> last;
    for (const auto& endpoint : endpoints) {
        http.endpoint = endpoint;
        try {
            response = net::http_post(http);
            break;
        } catch (const Failure& failure) {
            if (failure.code() == "fingerprint_mismatch") {
                const std::string presented = presented_of(failure);
                if (contains(plan.trusted_elsewhere, presented)) {
                    throw Failure("relay_origin_not_allowed",
                                  "The printer at " + plan.target.origin() +
                                      " was trusted for another POS page, not for " +
                                      request.origin + ": trust it again from this page.");
                }
                if (!plan.trusted_for_origin && plan.trusted_elsewhere.empty()) {
                    throw Failure("relay_not_trusted",
                                  "The printer at " + plan.target.origin() +
                                      " presents a certificate that is neither trusted by "
                                      "epos-trust nor pinned by the administrator; nothing "
                                      "was sent.");
                }
                throw Failure("fingerprint_mismatch",
                              "The printer at " + plan.target.origin() +
                                  " now presents another certificate than the one trusted; "
                                  "nothing was sent. Inspect it again.",
                              failure.details());
            }
            last = failure;
            if (failure.code() != "unreachable") {
                throw;  // something answered there (or may have printed): never a second try
            }
        }
    }
    if (!response) {
        throw last.value_or(
            Failure("resolve_failed", "No address found for " + plan.target.host + "."));
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    return {response->status, response->status_text, response->content_type,
            response->body,   response->leaf_sha256, static_cast<long long>(elapsed)};
}

}  // namespace epos::ops
