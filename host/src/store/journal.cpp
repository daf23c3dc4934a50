#include "store/journal.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "util/failure.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace epos::store {
namespace fs = std::filesystem;
namespace {

constexpr int kJournalVersion = 1;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

[[noreturn]] void fail_unwritable(const fs::path& path, const std::string& what) {
    throw Failure("journal_unwritable", "epos-trust cannot write its journal " + path.string() +
                                            " (" + what + "); check that this folder is yours " +
                                            "and the disk is not full.");
}

// An exclusive lock on a file next to the journal, released when this object goes. The lock
// file is never deleted: deleting it would let two hosts lock two different inodes.
class FileLock {
  public:
    explicit FileLock(const fs::path& path) {
#ifdef _WIN32
        handle_ = CreateFileW(path.wstring().c_str(), GENERIC_READ | GENERIC_WRITE,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
        if (handle_ == INVALID_HANDLE_VALUE) {
            fail_unwritable(path, "cannot open the lock file");
        }
        OVERLAPPED overlapped{};
        if (!LockFileEx(handle_, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &overlapped)) {
            CloseHandle(handle_);
            fail_unwritable(path, "cannot lock it");
        }
#else
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) {
            fail_unwritable(path, std::strerror(errno));
        }
        int rc = 0;
        do {
            rc = ::flock(fd_, LOCK_EX);
        } while (rc != 0 && errno == EINTR);
        if (rc != 0) {
            const std::string why = std::strerror(errno);
            ::close(fd_);
            fail_unwritable(path, why);
        }
#endif
    }
    ~FileLock() {
#ifdef _WIN32
        OVERLAPPED overlapped{};
        UnlockFileEx(handle_, 0, MAXDWORD, MAXDWORD, &overlapped);
        CloseHandle(handle_);
#else
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
#endif
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
#ifdef _WIN32
    HANDLE handle_ = INVALID_HANDLE_VALUE;
#else
    int fd_ = -1;
#endif
};

// Writes `text` to a temporary file beside `target`, flushes it to disk and renames it over
// `target`: readers see the old journal or the new one, never a torn one.
void write_atomically(const fs::path& target, const std::string& text) {
    fs::path temp = target;
    temp += ".tmp";
#ifdef _WIN32
    temp += std::to_wstring(GetCurrentProcessId());
    HANDLE file = CreateFileW(temp.wstring().c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) {
        fail_unwritable(target, "cannot create a temporary file");
    }
    DWORD written = 0;
    const bool ok =
        WriteFile(file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr) &&
        written == text.size() && FlushFileBuffers(file);
    CloseHandle(file);
    bool moved = false;
    for (int attempt = 0; ok && !moved && attempt < 200; ++attempt) {
        moved = MoveFileExW(temp.wstring().c_str(), target.wstring().c_str(),
                            MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) != 0;
        if (!moved) {
            const DWORD error = GetLastError();
            if (error != ERROR_SHARING_VIOLATION && error != ERROR_ACCESS_DENIED) {
                break;
            }
            Sleep(5);  // a reader has the journal open for a moment (see read_whole_file)
        }
    }
    if (!ok || !moved) {
        DeleteFileW(temp.wstring().c_str());
        fail_unwritable(target, "cannot replace the journal");
    }
#else
    temp += std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail_unwritable(target, std::strerror(errno));
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(temp.c_str());
            fail_unwritable(target, why);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        ::unlink(temp.c_str());
        fail_unwritable(target, why);
    }
    ::close(fd);
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(temp.c_str());
        fail_unwritable(target, why);
    }
    // The rename itself must reach the disk too, or a power cut could bring the old file back.
    const int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
#endif
}

nlohmann::json to_json(const JournalEntry& e) {
    return {{"sha256", e.sha256},
            {"store", e.store_id},
            {"kind", e.kind},
            {"location", e.location},
            {"trust", e.trust},
            {"nickname", e.nickname},
            {"address", e.address},
            {"url", e.url},
            {"installed_at", e.installed_at},
            {"pos_origins", e.pos_origins},
            {"spki_sha256", e.spki_sha256}};
}

// The fields added after version 1 was first written: absent in older files, which still load;
// present but of the wrong type, the file is not a journal.
std::vector<std::string> optional_strings(const nlohmann::json& object, const char* name) {
    std::vector<std::string> out;
    const auto it = object.find(name);
    if (it == object.end()) {
        return out;
    }
    if (!it->is_array()) {
        throw Failure("journal_corrupt",
                      std::string("journal entry whose \"") + name + "\" is not a list of strings");
    }
    for (const auto& item : *it) {
        if (!item.is_string()) {
            throw Failure("journal_corrupt", std::string("journal entry whose \"") + name +
                                                 "\" is not a list of strings");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::string optional_string(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end()) {
        return {};
    }
    if (!it->is_string()) {
        throw Failure("journal_corrupt",
                      std::string("journal entry whose \"") + name + "\" is not a string");
    }
    return it->get<std::string>();
}

std::string field(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) {
        throw Failure("journal_corrupt",
                      std::string("journal entry without a string \"") + name + "\"");
    }
    return it->get<std::string>();
}

}  // namespace

fs::path default_journal_path() {
    if (const std::string dir = env("EPOS_TRUST_STATE_DIR"); !dir.empty()) {
        return fs::path(dir) / "journal.json";
    }
#ifdef _WIN32
    if (const std::string local = env("LOCALAPPDATA"); !local.empty()) {
        return fs::path(local) / "epos-trust" / "journal.json";
    }
    return fs::path(env("USERPROFILE")) / "AppData" / "Local" / "epos-trust" / "journal.json";
#else
    // XDG base directories: state that should persist but is not worth a backup.
    if (const std::string state = env("XDG_STATE_HOME"); !state.empty() && state[0] == '/') {
        return fs::path(state) / "epos-trust" / "journal.json";
    }
    return fs::path(env("HOME")) / ".local" / "state" / "epos-trust" / "journal.json";
#endif
}

std::string serialize_journal(const std::vector<JournalEntry>& entries) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& entry : entries) {
        list.push_back(to_json(entry));
    }
    return nlohmann::json{{"version", kJournalVersion}, {"entries", list}}.dump(2) + "\n";
}

std::vector<JournalEntry> parse_journal(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("entries") ||
        !json["entries"].is_array()) {
        throw Failure("journal_corrupt", "the journal is not a JSON object with \"entries\"");
    }
    if (!json.contains("version") || json["version"] != kJournalVersion) {
        throw Failure("journal_corrupt", "the journal has an unknown version");
    }
    std::vector<JournalEntry> entries;
    for (const auto& item : json["entries"]) {
        if (!item.is_object()) {
            throw Failure("journal_corrupt", "a journal entry is not an object");
        }
        entries.push_back({field(item, "sha256"), field(item, "store"), field(item, "kind"),
                           field(item, "location"), field(item, "trust"), field(item, "nickname"),
                           field(item, "address"), field(item, "url"), field(item, "installed_at"),
                           optional_strings(item, "pos_origins"),
                           optional_string(item, "spki_sha256")});
    }
    return entries;
}

Journal::Journal(fs::path file) : file_(std::move(file)) {}

#ifdef _WIN32
namespace {
// Windows: a file opened without FILE_SHARE_DELETE cannot be replaced by MoveFileExW, and while
// MoveFileExW replaces it an open fails with a sharing violation. Readers therefore open with
// every share mode, and both sides retry for a moment (a few ms per write) instead of failing.
bool transient_sharing_error(DWORD error) {
    return error == ERROR_SHARING_VIOLATION || error == ERROR_ACCESS_DENIED ||
           error == ERROR_LOCK_VIOLATION;
}

// nullopt: no journal yet.
std::optional<std::string> read_whole_file(const fs::path& file) {
    for (int attempt = 0;; ++attempt) {
        HANDLE handle = CreateFileW(file.wstring().c_str(), GENERIC_READ,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
        if (handle == INVALID_HANDLE_VALUE) {
            const DWORD error = GetLastError();
            if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
                return std::nullopt;
            }
            if (transient_sharing_error(error) && attempt < 200) {
                Sleep(5);
                continue;
            }
            throw Failure("journal_corrupt", "epos-trust cannot read its journal " + file.string());
        }
        std::string text;
        char buffer[65536];
        DWORD got = 0;
        bool ok = true;
        while ((ok = ReadFile(handle, buffer, sizeof buffer, &got, nullptr) != 0) && got > 0) {
            text.append(buffer, got);
        }
        CloseHandle(handle);
        if (!ok) {
            throw Failure("journal_corrupt", "epos-trust cannot read its journal " + file.string());
        }
        return text;
    }
}
}  // namespace
#endif

std::vector<JournalEntry> Journal::read() const {
#ifdef _WIN32
    const auto whole = read_whole_file(file_);
    if (!whole) {
        return {};
    }
    const std::string text = *whole;
#else
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (!fs::exists(file_, ec)) {
            return {};
        }
        throw Failure("journal_corrupt", "epos-trust cannot read its journal " + file_.string());
    }
    std::ostringstream stream;
    stream << in.rdbuf();
    const std::string text = stream.str();
#endif
    try {
        return parse_journal(text);
    } catch (const Failure& failure) {
        throw Failure("journal_corrupt", "epos-trust's journal " + file_.string() +
                                             " is damaged (" + failure.what() +
                                             "); move it aside to start a new one.");
    }
}

struct Journal::Transaction::Lock {
    explicit Lock(const fs::path& path) : file(path) {}
    FileLock file;
};

Journal::Transaction::Transaction(fs::path file, std::unique_ptr<Lock> lock)
    : file_(std::move(file)), lock_(std::move(lock)) {}
Journal::Transaction::Transaction(Transaction&&) noexcept = default;
Journal::Transaction::~Transaction() = default;

void Journal::Transaction::save() {
    write_atomically(file_, serialize_journal(entries));
}

Journal::Transaction Journal::begin() {
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    if (ec) {
        fail_unwritable(file_.parent_path(), ec.message());
    }
    auto lock = std::make_unique<Transaction::Lock>(file_.parent_path() / "journal.lock");
    Transaction transaction(file_, std::move(lock));
    transaction.entries = read();
    return transaction;
}

void Journal::update(const std::function<bool(std::vector<JournalEntry>&)>& change) {
    Transaction transaction = begin();
    if (change(transaction.entries)) {
        transaction.save();
    }
}

}  // namespace epos::store
