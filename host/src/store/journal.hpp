#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/journal_format.hpp"
#include "util/utc_time.hpp"

namespace epos::store {

// The per-user journal file:
//   $EPOS_TRUST_STATE_DIR/journal.json when set (tests), else
//   Linux/macOS: ${XDG_STATE_HOME:-~/.local/state}/epos-trust/journal.json
//   Windows: %LOCALAPPDATA%\epos-trust\journal.json
std::filesystem::path default_journal_path();

// The current time as the journal writes it.
using epos::utc_timestamp_now;

// A JSON file of JournalEntry (store/journal_format.hpp), read and changed under an exclusive
// lock on a sibling "journal.lock" (not the journal itself, which is replaced by rename) and
// written atomically (store/files.hpp: temp file, fsync, rename), so that concurrent hosts never
// lose an entry and a crash leaves either the old or the new journal, never half of one.
// Free of OpenSSL, curl and Boost: it also builds with mingw-w64 for the Windows host.
class Journal {
  public:
    explicit Journal(std::filesystem::path file);

    const std::filesystem::path& path() const { return file_; }

    // The entries now (no lock needed: the file is only ever replaced whole). A missing file is
    // an empty journal. Throws Failure{"journal_corrupt"} when the file is not a journal: it is
    // then left as it is, so nothing a person could recover is overwritten.
    std::vector<JournalEntry> read() const;

    // Runs `change` on the entries while holding the lock, then writes them back when `change`
    // returns true. Another host running update() waits for the lock. Throws
    // Failure{"journal_unwritable"} when the directory or file cannot be written.
    void update(const std::function<bool(std::vector<JournalEntry>&)>& change);

    // The lock and the entries for a change that must reach the disk in more than one step
    // without another host in between: trust journals what it is about to write BEFORE it
    // touches a store (write-ahead), so that a host killed mid-trust or a full disk never leaves
    // an entry in a database that untrust does not know about (tests/faults/README.md).
    class Transaction {
      public:
        ~Transaction();
        Transaction(Transaction&&) noexcept;
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        Transaction& operator=(Transaction&&) = delete;

        std::vector<JournalEntry> entries;
        // Writes `entries` atomically; the lock stays held. Throws Failure{"journal_unwritable"}
        // (the journal on disk is then the one before this save).
        void save();

      private:
        friend class Journal;
        struct Lock;
        Transaction(std::filesystem::path file, std::unique_ptr<Lock> lock);
        std::filesystem::path file_;
        std::unique_ptr<Lock> lock_;
    };

    // Locks the journal (waiting for another host) and reads it. Throws like update().
    Transaction begin();

  private:
    std::filesystem::path file_;
};

}  // namespace epos::store
