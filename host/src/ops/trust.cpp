#include "ops/trust.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "cert/names.hpp"
#include "net/http_client.hpp"
#include "ops/inspect.hpp"
#include "ops/stores.hpp"
#include "store/nickname.hpp"
#include "util/failure.hpp"

namespace epos::ops {
namespace {

using cert::Browser;
using cert::Usability;

// The findings that stop `browser`, as one sentence each with what to change on the printer.
std::string reasons_for(const cert::Judgement& judgement, Browser browser) {
    std::string text;
    for (const auto& finding : judgement.findings) {
        const bool affects = std::find(finding.browsers.begin(), finding.browsers.end(), browser) !=
                             finding.browsers.end();
        if (affects && finding.severity == cert::Severity::Error) {
            text += " " + finding.message;
            if (!finding.action.empty()) {
                text += " " + finding.action;
            }
        }
    }
    return text;
}

std::optional<std::string> judged(Usability usability, const char* name,
                                  const cert::Judgement& judgement, Browser browser) {
    if (usability == Usability::Usable) {
        return std::nullopt;
    }
    const std::string verb = usability == Usability::Dangerous
                                 ? " must not trust this certificate: it would act as a "
                                   "certificate authority for any site."
                                 : " cannot use this certificate, even trusted.";
    return std::string(name) + verb + reasons_for(judgement, browser);
}

// When the running browser sees a new entry (docs/browser-behaviour.md §6).
Effective effective_for(const store::StoreSpec& spec) {
    if (spec.kind == store::StoreKind::System) {
        return Effective::AfterRestart;  // programs read the bundle when they start
    }
    if (spec.kind == store::StoreKind::Nss && spec.browser == Caller::Family::Firefox) {
        return Effective::AfterFlush;  // Firefox caches trust until the pkcs11 module flush
    }
    return Effective::Now;  // Chromium: on its next connection, if it never verified this one
}

// The stores of a failed trust as its error's details carry them (docs/protocol.md
// `certificate_unusable`, `store_failed`): the same objects as a reply's `stores`, built here
// because a Failure's details are JSON (util/failure.hpp) and this layer is below wire/.
nlohmann::json stores_details(const std::vector<StoreOutcome>& outcomes) {
    nlohmann::json stores = nlohmann::json::array();
    for (const auto& o : outcomes) {
        nlohmann::json item = {{"id", o.spec.id()},
                               {"kind", store::to_string(o.spec.kind)},
                               {"label", o.spec.label},
                               {"location", o.spec.location.string()},
                               {"trust", store::to_string(o.spec.trust)},
                               {"outcome", store::to_string(o.outcome)}};
        if (o.failed()) {
            item["code"] = o.code;
            item["reason"] = o.reason;
        }
        if (o.effective) {
            item["effective"] = to_string(*o.effective);
        }
        stores.push_back(std::move(item));
    }
    return stores;
}

struct Fetched {
    net::Target target;
    cert::Certificate leaf;
    cert::Judgement judgement;
};

// What trust needs of inspect: the certificate presented now, and its judgement. Not the ePOS
// probe (a second TLS handshake and an HTTP exchange) nor inspect's look into every store: they
// change no verdict and would double the time of a trust (the goal: 40 ms or less).
Fetched fetch_and_judge(const Context& context, std::string_view url) {
    Presented presented = fetch_presented(context, url);
    cert::Certificate leaf = cert::Certificate::from_der(presented.tls.chain.front());
    cert::Context facts;
    facts.host = presented.target.host;
    facts.tls_version = presented.tls.protocol_version;
    cert::Judgement judgement = cert::judge(leaf, facts);
    return {std::move(presented.target), std::move(leaf), std::move(judgement)};
}

}  // namespace

const char* to_string(Effective effective) {
    switch (effective) {
        case Effective::Now:
            return "now";
        case Effective::AfterFlush:
            return "after_flush";
        case Effective::AfterRestart:
            return "after_restart";
    }
    return "now";
}

void refuse_if_too_broad(const cert::Certificate& leaf) {
    const auto names = cert::public_names(leaf);
    if (names.empty()) {
        return;
    }
    nlohmann::json listed = nlohmann::json::array();
    std::string text;
    for (const auto& name : names) {
        listed.push_back(name.value);
        text += (text.empty() ? "" : ", ") + name.value;
    }
    throw Failure("certificate_too_broad",
                  "The certificate also vouches for " + text +
                      ", which a public website could be; a trust of it would cover those sites "
                      "too, so epos-trust neither trusts nor exports it (nothing was written).",
                  nlohmann::json{{"names", listed}});
}

std::string normalise_sha256(std::string_view text) {
    std::string hex;
    for (char c : text) {
        if (c == ':' || c == ' ') {
            continue;
        }
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            hex.clear();
            break;
        }
        hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (hex.size() != 64) {
        throw Failure("bad_request",
                      "\"sha256\" must be the certificate's SHA-256 fingerprint: 64 hex digits.");
    }
    return hex;
}

std::optional<std::string> refusal_for(const store::StoreSpec& spec, const cert::Certificate& leaf,
                                       const cert::Judgement& judgement) {
    std::optional<std::string> refusal;
    if (spec.kind == store::StoreKind::Nss && spec.browser == Caller::Family::Firefox) {
        refusal = judged(judgement.verdict.firefox, "Firefox", judgement, Browser::Firefox);
    } else if (spec.kind == store::StoreKind::Nss || spec.kind == store::StoreKind::Windows) {
        refusal = judged(judgement.verdict.chrome, "Chrome", judgement, Browser::Chrome);
    } else if (spec.kind == store::StoreKind::Macos) {
        refusal = judged(judgement.verdict.apple, "macOS", judgement, Browser::Apple);
    }
    if (!refusal && spec.trust == store::TrustKind::Anchor && cert::unsafe_as_anchor(leaf)) {
        refusal = spec.label +
                  " would trust it as an authority (it is X.509 v1 or CA:TRUE), which would let "
                  "it vouch for any site; epos-trust refuses. Regenerate the printer's "
                  "certificate in its Web Config.";
    }
    return refusal;
}

TrustResult install(const cert::Certificate& leaf, const cert::Judgement& judgement,
                    const std::string& address, const std::string& url,
                    const std::vector<store::StoreSpec>& specs, store::Journal& journal,
                    const std::string& pos_origin, const std::string& spki_sha256) {
    // Before the journal or any store is touched: a trust is for the printer alone.
    refuse_if_too_broad(leaf);
    if (specs.empty()) {
        throw Failure("no_store",
                      "No trust store that serves this browser was found on this computer "
                      "(start the browser once so that it creates its certificate database).");
    }
    const store::CertificateRecord record{leaf.der(), leaf.sha256(), leaf.sha1(),
                                          store::make_nickname(address, leaf.sha256())};
    TrustResult trusted{leaf.sha256(), {}, false, false};
    std::vector<StoreOutcome>& stores = trusted.stores;
    bool held = false;
    bool all_refused = true;

    // Write-ahead: the journal names every store about to receive the certificate BEFORE any
    // store is written, under one lock held to the end. A host killed between the two steps, or
    // a disk too full for the journal, can then never leave a trusted entry that untrust does not
    // know about; the worst left behind is a journal entry whose store lacks the certificate,
    // which list reports as not present and untrust clears (tests/faults/README.md).
    store::Journal::Transaction journal_tx = journal.begin();
    std::vector<store::JournalEntry>& entries = journal_tx.entries;
    const auto journaled = [&](const store::StoreSpec& spec) {
        return std::any_of(entries.begin(), entries.end(), [&](const store::JournalEntry& e) {
            return e.sha256 == leaf.sha256() && e.store_id == spec.id();
        });
    };
    std::vector<bool> refused;
    std::vector<std::string> ahead;  // store ids journaled ahead by this trust
    for (const auto& spec : specs) {
        StoreOutcome item{spec};
        const auto refusal = refusal_for(spec, leaf, judgement);
        if (refusal) {
            item.outcome = store::Outcome::Failed;
            item.code = "certificate_unusable";
            item.reason = *refusal;
        } else if (!journaled(spec)) {
            entries.push_back({leaf.sha256(), spec.id(), store::to_string(spec.kind),
                               spec.location.string(), store::to_string(spec.trust),
                               record.nickname, address, url, store::utc_timestamp_now(),
                               pos_origin.empty() ? std::vector<std::string>{}
                                                  : std::vector<std::string>{pos_origin},
                               spki_sha256});
            ahead.push_back(spec.id());
        }
        refused.push_back(refusal.has_value());
        stores.push_back(std::move(item));
    }
    all_refused = std::all_of(refused.begin(), refused.end(), [](bool r) { return r; });
    // A trust of a certificate already installed, asked by another POS page: that page may now
    // have its prints relayed too (contract: a normal successful trust, the origin added).
    bool recorded = false;
    for (auto& entry : entries) {
        if (entry.sha256 != leaf.sha256()) {
            continue;
        }
        if (!pos_origin.empty() && std::find(entry.pos_origins.begin(), entry.pos_origins.end(),
                                             pos_origin) == entry.pos_origins.end()) {
            entry.pos_origins.push_back(pos_origin);
            recorded = true;
        }
        if (entry.spki_sha256.empty() && !spki_sha256.empty()) {
            entry.spki_sha256 = spki_sha256;
            recorded = true;
        }
    }
    if (!ahead.empty() || (recorded && !all_refused)) {
        journal_tx.save();  // journal_unwritable: nothing was written to any store
    }

    std::vector<std::string> not_ours;  // ahead entries whose store did not take our entry
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (refused[i]) {
            continue;
        }
        StoreOutcome& item = stores[i];
        const store::StoreSpec& spec = specs[i];
        store::StoreResult result;
        try {
            result = store::open_store(spec)->add(record);
        } catch (const Failure& failure) {
            result = {store::Outcome::Failed, failure.code(), failure.what()};
        }
        item.outcome = result.outcome;
        // Only what epos-trust itself wrote stays journaled: an entry a person made before
        // (already_present under another label) is never ours to remove later.
        const bool ours = result.outcome == store::Outcome::Installed ||
                          (result.outcome == store::Outcome::AlreadyPresent && result.own);
        if (!ours && std::find(ahead.begin(), ahead.end(), spec.id()) != ahead.end()) {
            not_ours.push_back(spec.id());
        }
        if (result.outcome == store::Outcome::Failed) {
            item.code = result.code;
            item.reason = result.reason;
            continue;
        }
        held = true;
        item.effective = effective_for(spec);
        trusted.firefox_flush = trusted.firefox_flush || spec.browser == Caller::Family::Firefox;
        trusted.restart_needed =
            trusted.restart_needed || item.effective == Effective::AfterRestart;
    }
    if (!not_ours.empty()) {
        std::erase_if(entries, [&](const store::JournalEntry& e) {
            return e.sha256 == leaf.sha256() &&
                   std::find(not_ours.begin(), not_ours.end(), e.store_id) != not_ours.end();
        });
        try {
            journal_tx.save();
        } catch (const Failure&) {
            // The stores are as the reply says; the journal keeps entries for stores that lack
            // the certificate, which list shows as absent and untrust clears. Failing the whole
            // trust for that would misreport the stores that did take it.
        }
    }
    if (!held) {
        if (all_refused) {
            throw Failure("certificate_unusable", stores.front().reason,
                          nlohmann::json{{"findings", judgement.findings_json()},
                                         {"verdict", judgement.verdict.to_json()},
                                         {"stores", stores_details(stores)}});
        }
        throw Failure("store_failed",
                      "No trust store could take the certificate: " + stores.back().reason,
                      nlohmann::json{{"stores", stores_details(stores)}});
    }
    return trusted;
}

TrustResult trust(const Context& context, const TrustRequest& request) {
    const std::string wanted = normalise_sha256(request.sha256);
    if (!request.origin.empty() && !policy::canonical_pos_origin(request.origin)) {
        throw Failure("bad_request",
                      "\"origin\" must be the POS page's origin as the browser writes it "
                      "(\"https://pos.example.com\").");
    }
    if (!context.policy.error.empty()) {
        throw Failure("policy_invalid", context.policy.error);
    }
    if (!request.origin.empty() && !context.policy.allows_pos_origin(request.origin)) {
        throw Failure("policy_forbids", "This computer's policy does not list " + request.origin +
                                            " among the POS pages that may print through "
                                            "epos-trust; nothing was installed.");
    }
    // An administrator who forbids installs may still pin the shop's printers (docs/admin.md).
    if (!context.policy.installs_allowed && !context.policy.is_pinned(wanted)) {
        throw Failure("policy_forbids",
                      "This computer's policy forbids trusting printers other than the ones "
                      "its administrator pinned.");
    }
    const Fetched fetched = fetch_and_judge(context, request.url);
    if (fetched.leaf.sha256() != wanted) {
        throw Failure("fingerprint_mismatch",
                      "The printer now presents another certificate (SHA-256 " +
                          fetched.leaf.sha256_grouped() +
                          ") than the one confirmed; nothing was installed. Inspect it again.",
                      nlohmann::json{{"presented_sha256", fetched.leaf.sha256()}});
    }
    store::Journal journal(store::default_journal_path());
    return install(fetched.leaf, fetched.judgement, fetched.target.host, fetched.target.origin(),
                   store_specs_for(context, request.filter), journal, request.origin,
                   net::spki_sha256_base64(fetched.leaf.der()));
}

}  // namespace epos::ops
