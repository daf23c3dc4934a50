#include "store/journal.hpp"

#include <cstdlib>
#include <optional>
#include <system_error>

#include "store/files.hpp"
#include "util/failure.hpp"

namespace epos::store {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail_unwritable(const fs::path& path, const std::string& what) {
    throw Failure("journal_unwritable", "epos-trust cannot write its journal " + path.string() +
                                            " (" + what + "); check that this folder is yours " +
                                            "and the disk is not full.");
}

}  // namespace

fs::path default_journal_path() {
    if (const char* dir = std::getenv("EPOS_TRUST_STATE_DIR"); dir != nullptr && *dir != '\0') {
        return fs::path(dir) / "journal.json";
    }
    return files::user_state_folder() / "epos-trust" / "journal.json";
}

Journal::Journal(fs::path file) : file_(std::move(file)) {}

std::vector<JournalEntry> Journal::read() const {
    std::optional<std::string> text;
    try {
        text = files::read_whole(file_);
    } catch (const std::system_error&) {
        throw Failure("journal_corrupt", "epos-trust cannot read its journal " + file_.string());
    }
    if (!text) {
        return {};
    }
    try {
        return parse_journal(*text);
    } catch (const Failure& failure) {
        throw Failure("journal_corrupt", "epos-trust's journal " + file_.string() +
                                             " is damaged (" + failure.what() +
                                             "); move it aside to start a new one.");
    }
}

struct Journal::Transaction::Lock {
    explicit Lock(const fs::path& path) : file(path) {}
    files::ExclusiveLock file;
};

Journal::Transaction::Transaction(fs::path file, std::unique_ptr<Lock> lock)
    : file_(std::move(file)), lock_(std::move(lock)) {}
Journal::Transaction::Transaction(Transaction&&) noexcept = default;
Journal::Transaction::~Transaction() = default;

void Journal::Transaction::save() {
    try {
        files::replace_atomically(file_, serialize_journal(entries), files::Readers::OwnerOnly);
    } catch (const std::system_error& e) {
        fail_unwritable(file_, e.code().message());
    }
}

Journal::Transaction Journal::begin() {
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    if (ec) {
        fail_unwritable(file_.parent_path(), ec.message());
    }
    const fs::path lock_file = file_.parent_path() / "journal.lock";
    std::unique_ptr<Transaction::Lock> lock;
    try {
        lock = std::make_unique<Transaction::Lock>(lock_file);
    } catch (const std::system_error& e) {
        fail_unwritable(lock_file, e.code().message());
    }
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
