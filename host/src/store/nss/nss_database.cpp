#include "store/nss/nss_database.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <pk11pub.h>
#include <prerror.h>

#include "util/failure.hpp"

namespace epos::store::nss {
namespace fs = std::filesystem;
namespace {

// SQLite's lock bytes (sqlite3 os_unix.c): a writer holds a POSIX write lock on PENDING_BYTE
// and RESERVED_BYTE, an exclusive holder also on the SHARED range. NSS's sdb maps SQLITE_BUSY
// to CKR_GENERAL_ERROR, so this is how a lock is told apart from other failures.
constexpr off_t kPendingByte = 0x40000000;
constexpr off_t kLockRangeLength = 2 + 510;  // pending, reserved, shared range

// SQLite's rollback journals of the two databases (journal_mode=DELETE, NSS's default).
constexpr const char* kJournals[] = {"cert9.db-journal", "key4.db-journal"};

// True when `file` is a rollback journal with a live header (sqlite3 pager.c aJournalMagic). A
// committed transaction leaves at most a journal whose header is zeroed, which is not hot.
bool has_journal_header(const fs::path& file) {
    static constexpr unsigned char kMagic[] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
    std::ifstream in(file, std::ios::binary);
    unsigned char header[sizeof kMagic] = {};
    in.read(reinterpret_cast<char*>(header), sizeof header);
    return in && std::memcmp(header, kMagic, sizeof kMagic) == 0;
}

bool locked_by_another_process(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    struct flock probe {};
    probe.l_type = F_WRLCK;  // conflicts with any lock another process holds on the range
    probe.l_whence = SEEK_SET;
    probe.l_start = kPendingByte;
    probe.l_len = kLockRangeLength;
    const bool locked = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

// True when `file` starts like an SQLite database and is as long as its own header says.
// A truncated cert9.db (a copy cut short, a full disk under another program) keeps a valid
// header, and NSS then fails with a bare SEC_ERROR_UNKNOWN_PKCS11_ERROR: the length is what
// tells it apart (sqlite3 fileformat: page size at offset 16, page count at 28, valid when the
// change counter at 24 equals "version-valid-for" at 92).
bool is_sqlite_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::array<unsigned char, 100> header{};
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    if (!in || std::memcmp(header.data(), "SQLite format 3", 16) != 0) {
        return false;
    }
    const auto be32 = [&](std::size_t at) {
        return (std::uint32_t{header[at]} << 24) | (std::uint32_t{header[at + 1]} << 16) |
               (std::uint32_t{header[at + 2]} << 8) | std::uint32_t{header[at + 3]};
    };
    const std::uint32_t raw_page_size = (std::uint32_t{header[16]} << 8) | header[17];
    const std::uintmax_t page_size = raw_page_size == 1 ? 65536 : raw_page_size;
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec || page_size < 512 || (page_size & (page_size - 1)) != 0 || size % page_size != 0) {
        return false;
    }
    const std::uint32_t pages = be32(28);
    const bool pages_valid = pages != 0 && be32(24) == be32(92);
    return !pages_valid || size >= std::uintmax_t{pages} * page_size;
}

bool writable(const fs::path& path) {
    struct statvfs fsinfo {};
    if (::statvfs(path.c_str(), &fsinfo) == 0 && (fsinfo.f_flag & ST_RDONLY) != 0) {
        return false;
    }
    return ::access(path.c_str(), W_OK) == 0;
}

std::string nss_error() {
    const PRErrorCode code = PR_GetError();
    const char* name = PR_ErrorToName(code);
    return name != nullptr ? name : "NSS error " + std::to_string(code);
}

// NSS module spec values are single-quoted; a quote in a path would end the value early.
std::string quoted_for_spec(const std::string& value) {
    if (value.find_first_of("'\"\\") != std::string::npos) {
        throw Failure(kFailed,
                      "epos-trust cannot open an NSS database whose path contains a "
                      "quote or backslash: " +
                          value);
    }
    return "'" + value + "'";
}

}  // namespace

std::pair<std::string, std::string> NssDatabase::diagnose(const fs::path& dir,
                                                          const std::string& what) {
    for (const char* name : {"cert9.db", "key4.db"}) {
        const fs::path file = dir / name;
        if (locked_by_another_process(file)) {
            return {kLocked, what + ": another program (probably the browser) is writing " +
                                 file.string() + "; try again in a moment."};
        }
        if (!is_sqlite_file(file)) {
            return {kCorrupt, what + ": " + file.string() +
                                  " is not a readable NSS database; the browser will recreate "
                                  "it if you move it aside."};
        }
    }
    return {kFailed, what + " (" + nss_error() + ")"};
}

NssDatabase::NssDatabase(const fs::path& dir, Access access)
    : library_(NssLibrary::acquire()), dir_(dir) {
    std::error_code ec;
    if (!fs::is_regular_file(dir / "cert9.db", ec) || !fs::is_regular_file(dir / "key4.db", ec)) {
        throw Failure(kMissing, "There is no NSS database (cert9.db, key4.db) in " + dir.string() +
                                    "; epos-trust never creates one: start the browser once so "
                                    "that it makes its own.");
    }
    if (::access((dir / "cert9.db").c_str(), R_OK) != 0 ||
        ::access((dir / "key4.db").c_str(), R_OK) != 0) {
        throw Failure(kUnreadable, "The NSS database in " + dir.string() +
                                       " cannot be read by this user (it belongs to someone "
                                       "else); run epos-trust as the browser's user.");
    }
    if (access == Access::ReadWrite &&
        (!writable(dir) || !writable(dir / "cert9.db") || !writable(dir / "key4.db"))) {
        throw Failure(kReadOnly, "The NSS database in " + dir.string() +
                                     " cannot be written by this user (read-only files, folder "
                                     "or file system).");
    }
    // tokenDescription names the slot; the path keeps it unique if two stores are open at once.
    std::string spec = "configdir=" + quoted_for_spec("sql:" + dir.string()) +
                       " tokenDescription=" + quoted_for_spec("epos-trust " + dir.string());
    // A writer killed mid-transaction (a browser or epos-trust itself, SIGKILL or power cut)
    // leaves a hot rollback journal beside the database. SQLite rolls it back at the next
    // read-WRITE open; a read-only open cannot, and NSS then fails with
    // SEC_ERROR_UNKNOWN_PKCS11_ERROR until some writer comes (measured: tests/faults/kill).
    // So a reader that may write opens read-write when such a journal exists: the database is
    // restored exactly as the browser would restore it at its next start. A journal that belongs
    // to a live transaction is not hot, and SQLite leaves it alone.
    const bool interrupted_write =
        std::any_of(std::begin(kJournals), std::end(kJournals),
                    [&](const char* name) { return has_journal_header(dir / name); });
    if (access == Access::ReadOnly && !(interrupted_write && writable(dir) &&
                                        writable(dir / "cert9.db") && writable(dir / "key4.db"))) {
        spec += " flags=readOnly";
    }
    slot_ = SECMOD_OpenUserDB(spec.c_str());
    if (slot_ == nullptr || !PK11_IsPresent(slot_)) {
        if (slot_ != nullptr) {
            SECMOD_CloseUserDB(slot_);
            PK11_FreeSlot(slot_);
            slot_ = nullptr;
        }
        const auto [code, reason] = diagnose(dir, "NSS could not open " + dir.string());
        throw Failure(code, reason);
    }
    // A database with a primary password cannot be written without it, and the host has no way
    // to ask for it; say so instead of failing later with an obscure NSS error.
    if (::access((dir / "cert9.db").c_str(), R_OK) != 0 ||
        ::access((dir / "key4.db").c_str(), R_OK) != 0) {
        throw Failure(kUnreadable, "The NSS database in " + dir.string() +
                                       " cannot be read by this user (it belongs to someone "
                                       "else); run epos-trust as the browser's user.");
    }
    if (access == Access::ReadWrite && PK11_NeedLogin(slot_) && !PK11_IsLoggedIn(slot_, nullptr)) {
        SECMOD_CloseUserDB(slot_);
        PK11_FreeSlot(slot_);
        slot_ = nullptr;
        throw Failure(kPasswordProtected,
                      "The NSS database in " + dir.string() +
                          " is protected by a primary password; remove the password in the "
                          "browser's settings or import the certificate there by hand.");
    }
}

NssDatabase::~NssDatabase() {
    if (slot_ != nullptr) {
        SECMOD_CloseUserDB(slot_);
        PK11_FreeSlot(slot_);
    }
}

}  // namespace epos::store::nss
