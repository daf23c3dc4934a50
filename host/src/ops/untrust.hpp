#pragma once

#include <string>
#include <vector>

#include "ops/context.hpp"
#include "store/journal.hpp"
#include "store/locator.hpp"

namespace epos::ops {

// What became of one store's entry in an untrust, as the journal named the store.
struct UntrustOutcome {
    std::string store_id;
    std::string kind;
    std::string location;
    store::Outcome outcome = store::Outcome::Failed;  // Removed, NotPresent or Failed
    std::string code = {};                            // outcome Failed: the entry stays journaled
    std::string reason = {};                          // outcome Failed

    bool failed() const { return outcome == store::Outcome::Failed; }
};

// docs/protocol.md `untrust`: the reply's result.
struct UntrustResult {
    std::string sha256;
    std::vector<UntrustOutcome> stores;
};

// docs/protocol.md `untrust`: removes what the journal says epos-trust installed for this
// fingerprint, store by store, and only that. An entry whose store could not be changed stays
// in the journal, so that a later untrust can finish the job. Throws Failure{"not_trusted"}
// when the journal has nothing for the fingerprint.
UntrustResult untrust(const Context& context, const std::string& sha256);

// The store a journal entry names, as the locator described it when it was installed.
store::StoreSpec journal_store_spec(const store::JournalEntry& entry);
UntrustResult untrust(const std::string& sha256, store::Journal& journal);

}  // namespace epos::ops
