#include "ops/inspect.hpp"

#include <algorithm>
#include <memory>
#include <optional>

#include "cert/names.hpp"
#include "net/http_client.hpp"
#include "ops/stores.hpp"
#include "store/journal.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

void require_valid_policy(const Context& context) {
    if (!context.policy.error.empty()) {
        throw Failure("policy_invalid", context.policy.error);
    }
}

}  // namespace

std::vector<net::Endpoint> allowed_endpoints(const Context& context, const net::Target& target) {
    require_valid_policy(context);
    if (target.host_is_ip) {
        // An IP literal is checked before anything is sent anywhere.
        const auto cls = net::classify_address(target.host);
        if (!context.policy.allows(cls)) {
            throw Failure("address_not_local",
                          target.host + " is a " + net::to_string(cls) +
                              " address, not one of this shop's local networks; epos-trust only "
                              "trusts printers on local networks.");
        }
    }
    auto endpoints = net::resolve(target);
    for (const auto& endpoint : endpoints) {
        if (!context.policy.allows(endpoint.address_class)) {
            throw Failure("address_not_local",
                          target.host + " resolves to " + endpoint.address + ", a " +
                              net::to_string(endpoint.address_class) +
                              " address; epos-trust only trusts printers on local networks.");
        }
    }
    return endpoints;
}

namespace {

// The first address of the target that completes a handshake, with its connection still open.
struct Opened {
    net::Target target;
    std::unique_ptr<net::TlsConnection> connection;
};

Opened open_first(const Context& context, std::string_view url) {
    Opened opened{net::parse_target(url), nullptr};
    const auto endpoints = allowed_endpoints(context, opened.target);
    // Try each address in resolver order; report the last failure if none answers.
    std::optional<Failure> last_failure;
    for (const auto& endpoint : endpoints) {
        try {
            opened.connection = net::TlsConnection::open(opened.target, endpoint, context.timeouts);
            return opened;
        } catch (const Failure& failure) {
            last_failure = failure;
            if (failure.code() != "unreachable" && failure.code() != "timeout") {
                break;  // something answered there: its answer is the one to report
            }
        }
    }
    throw last_failure.value_or(
        Failure("resolve_failed", "No address found for " + opened.target.host + "."));
}

}  // namespace

Presented fetch_presented(const Context& context, std::string_view url) {
    Opened opened = open_first(context, url);
    return Presented{std::move(opened.target), opened.connection->observation()};
}

InspectReport inspect(const Context& context, std::string_view url) {
    InspectReport report;
    Opened opened = open_first(context, url);
    report.target = std::move(opened.target);
    report.tls = opened.connection->observation();

    for (const auto& der : report.tls.chain) {
        report.chain.push_back(cert::Certificate::from_der(der));
    }
    // Closed before the probe opens its own: a printer serving one connection at a time
    // (many do) would otherwise never answer the second.
    opened.connection.reset();
    // A second connection (libcurl's, net/http_client.hpp), to the same address and pinned to
    // the certificate just fetched: the ePOS answer comes from the server whose certificate is
    // judged here, or the answer says there was none.
    report.epos =
        net::probe_epos(report.target, report.tls.endpoint, report.leaf().sha256(),
                        net::spki_sha256_base64(report.tls.chain.front()), context.timeouts);

    cert::Context facts;
    facts.host = report.target.host;
    facts.tls_version = report.tls.protocol_version;
    facts.answered_as_epos = report.epos.is_epos;
    report.judgement = cert::judge(report.leaf(), facts);

    try {
        const auto entries = store::Journal(store::default_journal_path()).read();
        report.journal_has_leaf =
            std::any_of(entries.begin(), entries.end(), [&](const store::JournalEntry& entry) {
                return entry.sha256 == report.leaf().sha256();
            });
    } catch (const Failure&) {
        // A damaged journal is reported by list and doctor; inspect only looks.
    }
    for (const auto& store : stores_for(context)) {
        try {
            if (store->contains(report.leaf().sha256())) {
                report.stores_with_leaf.push_back(store->id());
            }
        } catch (const Failure&) {
            // An unreadable store is reported by trust/doctor; inspect only says where it is.
        }
    }
    return report;
}

}  // namespace epos::ops
