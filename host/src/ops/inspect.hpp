#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cert/certificate.hpp"
#include "cert/findings.hpp"
#include "net/epos_probe.hpp"
#include "net/target.hpp"
#include "net/tls_probe.hpp"
#include "ops/context.hpp"

namespace epos::ops {

// Everything inspect learned about one printer (docs/protocol.md "inspect").
struct InspectReport {
    net::Target target;
    net::TlsObservation tls;
    std::vector<cert::Certificate> chain;  // leaf first
    net::EposAnswer epos;
    cert::Judgement judgement;
    bool journal_has_leaf = false;
    std::vector<std::string> stores_with_leaf;  // ids of the caller's stores that hold it now

    const cert::Certificate& leaf() const { return chain.front(); }
};

// Parses and checks the URL against the policy's networks, resolves it (every address the name
// resolves to must be allowed: a name that also resolves to a public address is refused, which
// closes the DNS-rebinding door), fetches the presented chain without trusting it, asks the ePOS
// service pinned to that key, and judges the leaf. Throws Failure (bad_url, address_not_local,
// policy_invalid, resolve_failed, unreachable, timeout, not_tls, tls_failed, bad_certificate).
InspectReport inspect(const Context& context, std::string_view url);

// The policy network check alone, for callers that already hold a parsed target.
std::vector<net::Endpoint> allowed_endpoints(const Context& context, const net::Target& target);

// What a printer presents: the TLS half of inspect, shared with trust (which needs the
// certificate again, but not the ePOS probe). Parses the URL, applies the network policy and
// handshakes with the first address that answers.
struct Presented {
    net::Target target;
    net::TlsObservation tls;
};
Presented fetch_presented(const Context& context, std::string_view url);

}  // namespace epos::ops
