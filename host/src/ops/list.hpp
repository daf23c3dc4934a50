#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ops/context.hpp"
#include "store/journal.hpp"

namespace epos::ops {

// One journal entry, and what its store says of it now.
struct ListEntry {
    store::JournalEntry journaled;
    // Whether the store still holds it; nullopt when the store cannot be read now (`error`).
    std::optional<bool> present;
    struct Error {
        std::string code;
        std::string message;
    };
    std::optional<Error> error;
    // The public names of the certificate as a store gave it back (empty: none, the trust is for
    // the printer alone); nullopt when no store could give the certificate back (unknown).
    std::optional<std::vector<std::string>> public_names;

    std::optional<bool> too_broad() const {
        return public_names ? std::optional<bool>(!public_names->empty()) : std::nullopt;
    }
};

// docs/protocol.md `list`: the reply's result.
struct ListResult {
    std::vector<ListEntry> entries;  // in the journal's order
};

// docs/protocol.md `list`: every journal entry, and whether its store still holds it.
ListResult list(const Context& context);
ListResult list(const store::Journal& journal);

}  // namespace epos::ops
