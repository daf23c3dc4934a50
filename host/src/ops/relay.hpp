#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "net/target.hpp"
#include "ops/context.hpp"
#include "policy/policy.hpp"
#include "store/journal.hpp"

namespace epos::ops {

// docs/protocol.md `relay`: one held POS print carried by the host to a printer the person
// trusted for that POS page (or an administrator pinned), because the page itself may not reach
// it (Local Network Access, docs/browser-behaviour.md §9; a browser's cached rejection, §6).
// The relay is a capability a hostile page must not get: only the ePOS service path, POST,
// bounded size and time, only to a trusted certificate, only for the page that was trusted.
struct RelayRequest {
    std::string url;  // the printer's origin, as for trust
    std::string path;
    std::string query;  // without '?'
    std::string method;
    std::string body;
    std::string content_type;  // "" = what a browser sends with a string body
    std::string origin;        // the POS page's origin
    std::chrono::milliseconds timeout{15000};
};

inline constexpr const char* kRelayPath = "/cgi-bin/epos/service.cgi";
inline constexpr std::size_t kMaxRelayBody = 512 * 1024;
inline constexpr std::size_t kMaxRelayQuery = 2048;
inline constexpr std::chrono::milliseconds kMinRelayTimeout{1000};
inline constexpr std::chrono::milliseconds kMaxRelayTimeout{60000};

// What the decision allows: the printer and the certificates it may present.
struct RelayPlan {
    net::Target target;
    std::vector<std::string> leaf_sha256;  // journal trusts for this printer and origin + pins
    std::vector<std::string> spki_sha256;  // their key pins, when every one of them is known
    std::vector<std::string> trusted_elsewhere;  // this printer's trusts for other origins only
    bool trusted_for_origin = false;  // a journal trust for this origin is among leaf_sha256
};

// The decision, without the network: the request's shape (relay_refused, bad_request, bad_url),
// the machine policy (policy_invalid, relay_origin_not_allowed) and who trusted what
// (relay_not_trusted, relay_origin_not_allowed). `journal` is the trusts epos-trust recorded.
RelayPlan plan_relay(const RelayRequest& request, const policy::Policy& policy,
                     const std::vector<store::JournalEntry>& journal);

// The network policy (address_not_local, resolve_failed), plan_relay, then the POST pinned to
// the allowed certificates (net::http_post: fingerprint_mismatch, unreachable, timeout,
// not_tls, tls_failed, reply_too_large). Returns the printer's answer.
struct RelayResult {
    int status = 0;
    std::string status_text;
    std::string content_type;
    std::string body;
    std::string sha256;  // the leaf the printer presented (one of the plan's)
    long long elapsed_ms = 0;
};
RelayResult relay(const Context& context, const RelayRequest& request);

}  // namespace epos::ops
