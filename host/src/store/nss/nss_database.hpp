#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "store/nss/nss_library.hpp"

struct PK11SlotInfoStr;

namespace epos::store::nss {

// Stable codes of a failed NSS store (StoreResult::code), documented in docs/protocol.md.
inline constexpr const char* kMissing = "store_missing";        // no cert9.db/key4.db there
inline constexpr const char* kReadOnly = "store_read_only";     // cannot write the files/folder
inline constexpr const char* kUnreadable = "store_unreadable";  // cannot even read them
inline constexpr const char* kLocked = "store_locked";    // another process holds a write lock
inline constexpr const char* kCorrupt = "store_corrupt";  // not an SQLite database
inline constexpr const char* kPasswordProtected = "store_password_protected";  // primary password
inline constexpr const char* kConflict = "store_conflict";  // same cert, set up by someone else
inline constexpr const char* kFailed = "store_failed";      // anything else NSS refused

enum class Access { ReadOnly, ReadWrite };

// One existing "sql:" NSS database (cert9.db + key4.db) open as its own PKCS#11 slot, closed
// when this object goes. It never creates a database: NSS would happily create an empty one in
// any folder, and a database the browser did not make is one it does not read
// (docs/browser-behaviour.md §5: creating ~/.pki/nssdb even makes Chromium switch databases at its
// next start).
class NssDatabase {
  public:
    // Throws Failure with one of the codes above.
    NssDatabase(const std::filesystem::path& dir, Access access);
    ~NssDatabase();

    NssDatabase(const NssDatabase&) = delete;
    NssDatabase& operator=(const NssDatabase&) = delete;

    PK11SlotInfoStr* slot() const { return slot_; }
    const std::filesystem::path& dir() const { return dir_; }

    // After NSS refused an operation: the most precise code and reason we can find for
    // `dir` (a lock held by another process, a damaged file, ...). `what` is what failed.
    static std::pair<std::string, std::string> diagnose(const std::filesystem::path& dir,
                                                        const std::string& what);

  private:
    std::shared_ptr<NssLibrary> library_;
    std::filesystem::path dir_;
    PK11SlotInfoStr* slot_ = nullptr;
};

}  // namespace epos::store::nss
