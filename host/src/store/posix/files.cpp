#include "store/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

namespace epos::store::files {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// The temporary file's name: its process and a counter, so that two writers (processes, or
// threads of one) never share one.
fs::path temporary_for(const fs::path& target) {
    static std::atomic<unsigned> counter{0};
    fs::path temp = target;
    temp += ".tmp" + std::to_string(::getpid()) + "." + std::to_string(counter++);
    return temp;
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

fs::path user_state_folder() {
    if (const std::string state = env("XDG_STATE_HOME"); !state.empty() && state[0] == '/') {
        return fs::path(state);
    }
    return fs::path(env("HOME")) / ".local" / "state";
}

ExclusiveLock::ExclusiveLock(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail("cannot open the lock file " + path.string());
    }
    int rc = 0;
    do {
        rc = ::flock(fd, LOCK_EX);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        const int error = errno;
        ::close(fd);
        throw std::system_error(error, std::generic_category(), "cannot lock " + path.string());
    }
    handle_ = fd;
}

ExclusiveLock::~ExclusiveLock() {
    const int fd = static_cast<int>(handle_);
    ::flock(fd, LOCK_UN);
    ::close(fd);
}

void replace_atomically(const fs::path& target, std::string_view bytes, Readers readers,
                        const std::function<void()>& before_rename) {
    const fs::path temp = temporary_for(target);
    const mode_t mode = readers == Readers::OwnerOnly ? 0600 : 0644;
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        fail("cannot create " + temp.string());
    }
    const auto give_up = [&](const std::string& what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        throw std::system_error(error, std::generic_category(), what);
    };
    // The umask may have narrowed the mode open() was given; the file's readers are ours to say.
    if (::fchmod(fd, mode) != 0) {
        give_up("cannot set the permissions of " + temp.string());
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            give_up("cannot write " + temp.string());
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        give_up("cannot flush " + temp.string());
    }
    ::close(fd);
    if (before_rename) {
        before_rename();
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw std::system_error(error, std::generic_category(),
                                "cannot replace " + target.string());
    }
    // The rename itself must reach the disk too, or a power cut could bring the old file back.
    fs::path folder = target.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

std::optional<std::string> read_whole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const int error = errno;
        std::error_code ec;
        if (!fs::exists(file, ec)) {
            return std::nullopt;
        }
        throw std::system_error(error != 0 ? error : EIO, std::generic_category(),
                                "cannot read " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw std::system_error(EIO, std::generic_category(), "cannot read " + file.string());
    }
    return text.str();
}

}  // namespace epos::store::files
