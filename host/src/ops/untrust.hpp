#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ops/context.hpp"
#include "store/journal.hpp"
#include "store/locator.hpp"

namespace epos::ops {

// docs/protocol.md `untrust`: removes what the journal says epos-trust installed for this
// fingerprint, store by store, and only that. An entry whose store could not be changed stays
// in the journal, so that a later untrust can finish the job. Throws Failure{"not_trusted"}
// when the journal has nothing for the fingerprint.
nlohmann::json untrust(const Context& context, const std::string& sha256);

// The store a journal entry names, as the locator described it when it was installed.
store::StoreSpec journal_store_spec(const store::JournalEntry& entry);
nlohmann::json untrust(const std::string& sha256, store::Journal& journal);

}  // namespace epos::ops
