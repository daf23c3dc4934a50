#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cert/certificate.hpp"
#include "cert/findings.hpp"
#include "ops/context.hpp"
#include "store/journal.hpp"
#include "store/locator.hpp"

namespace epos::ops {

// The PKCS#11 module name the extension installs and uninstalls to flush Firefox's trust cache
// (docs/browser-behaviour.md §6); host/pkcs11 builds it and manifests/ describes it under this
// name.
inline constexpr const char* kFirefoxFlushModule = "epos_trust_flush";

struct TrustRequest {
    std::string url;
    std::string sha256;  // what the person confirmed (any case, ':' or ' ' separators allowed)
    store::StoreFilter filter;
    // The POS page origin that asked the person ("" when none did: the popup, the check page,
    // the command line): recorded in the journal's pos_origins, the pages relay serves.
    std::string origin = {};
};

// A fingerprint as people and scripts write it ("AB:CD:..", "ab cd ..", "abcd..") as 64
// lowercase hex digits. Throws Failure{"bad_request"}.
std::string normalise_sha256(std::string_view text);

// Why `spec` must not receive `leaf`, or nullopt when it may (docs/design.md "Trust rules"): the
// browser the store serves must be able to use it (the verdict), and no store that anchors
// (Firefox C,,, system, Windows ROOT, macOS) ever gets a v1 or CA:TRUE certificate.
std::optional<std::string> refusal_for(const store::StoreSpec& spec, const cert::Certificate& leaf,
                                       const cert::Judgement& judgement);

// Throws Failure{"certificate_too_broad"} (details.names: the public names) when the certificate
// names anything a public site could be (cert/names.hpp): trust and export-cert refuse it.
void refuse_if_too_broad(const cert::Certificate& leaf);

// When the running browser sees a store's new entry (docs/browser-behaviour.md §6).
enum class Effective {
    Now,           // Chromium: on its next connection, if it never verified this certificate
    AfterFlush,    // Firefox caches trust until the pkcs11 module flush
    AfterRestart,  // the system store: programs read the bundle when they start
};
const char* to_string(Effective effective);

// What became of one store in a trust: refused before it was touched (outcome Failed, code
// certificate_unusable), written (Installed / AlreadyPresent, `effective` set), or failed.
struct StoreOutcome {
    store::StoreSpec spec;
    store::Outcome outcome = store::Outcome::Failed;
    std::string code = {};                    // outcome Failed
    std::string reason = {};                  // outcome Failed
    std::optional<Effective> effective = {};  // the store holds it

    bool failed() const { return outcome == store::Outcome::Failed; }
};

// docs/protocol.md `trust`: the reply's result.
struct TrustResult {
    std::string sha256;
    std::vector<StoreOutcome> stores;  // in the order of the specs
    bool restart_needed = false;       // some store's `effective` is after_restart
    bool firefox_flush = false;        // a Firefox store holds it: kFirefoxFlushModule applies
};

// docs/protocol.md `trust`: fetches the certificate again (inspect), refuses a different one
// (fingerprint_mismatch) or one the machine policy forbids (policy_forbids), then installs.
TrustResult trust(const Context& context, const TrustRequest& request);

// The install half of trust, for a certificate already fetched and judged: into each store of
// `specs` not refused, recording what was installed in `journal`, all under the journal's lock
// (so concurrent hosts install once and journal once). `pos_origin` (when not "") is added to
// the pos_origins of every journal entry of this certificate, new or already there, and
// `spki_sha256` recorded with them. Returns what each store did; throws Failure
// certificate_unusable / store_failed / no_store when no store holds it afterwards.
TrustResult install(const cert::Certificate& leaf, const cert::Judgement& judgement,
                    const std::string& address, const std::string& url,
                    const std::vector<store::StoreSpec>& specs, store::Journal& journal,
                    const std::string& pos_origin = {}, const std::string& spki_sha256 = {});

}  // namespace epos::ops
