#include "store/nss/nss_database.hpp"

#include <array>
#include <cstring>
#include <fstream>

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

bool is_sqlite_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::array<char, 16> header{};
    in.read(header.data(), header.size());
    return in && std::memcmp(header.data(), "SQLite format 3", 16) == 0;
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
    if (access == Access::ReadOnly) {
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
