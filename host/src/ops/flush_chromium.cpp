#include "ops/flush_chromium.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "util/failure.hpp"

#if !defined(_WIN32)
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#endif

namespace epos::ops {
namespace {

// docs/browser-behaviour.md §6: Chromium's policy file watcher settles for 5.0 s before it reloads
// and flushes; tests/e2e/flush.test.mjs measured the first secure reload 6.4-6.7 s after the
// request.
constexpr int kEffectiveInMs = 7000;
// A helper already busy flushes again when it removes its file, 10 s after its write, and that
// change takes effect as long again.
constexpr int kBusyEffectiveInMs = 17000;
// The helper answers as soon as its file is written; a socket that accepts but never answers is
// not a helper to wait for.
constexpr int kAnswerTimeoutMs = 5000;

[[noreturn]] void unavailable(const std::string& why) {
    throw Failure{"flush_unavailable",
                  "Chromium's certificate cache cannot be flushed here (" + why +
                      "): restart the browser to use the newly trusted printer."};
}

#if !defined(_WIN32)
class Socket {
  public:
    Socket() : fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
    ~Socket() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

  private:
    int fd_;
};

std::string socket_path() {
    const char* override_path = std::getenv("EPOS_TRUST_FLUSH_SOCKET");
    return override_path && *override_path ? override_path : kFlushSocketPath;
}

// Connecting is the whole request (the helper reads nothing); the answer is one line.
std::string ask_helper(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path))
        unavailable("the socket path is too long");
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

    Socket socket;
    if (socket.fd() < 0)
        unavailable(std::string("socket: ") + std::strerror(errno));
    if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        unavailable("no flush helper at " + path + ": " + std::strerror(errno));
    }
    std::string answer;
    char buffer[64];
    for (;;) {
        pollfd ready{socket.fd(), POLLIN, 0};
        const int polled = ::poll(&ready, 1, kAnswerTimeoutMs);
        if (polled < 0 && errno == EINTR)
            continue;
        if (polled <= 0)
            unavailable("the flush helper did not answer");
        const ssize_t got = ::read(socket.fd(), buffer, sizeof(buffer));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(got));
        if (answer.find('\n') != std::string::npos || answer.size() > 256)
            break;
    }
    return answer.substr(0, answer.find('\n'));
}
#endif

}  // namespace

bool flush_helper_present() {
#if defined(_WIN32) || defined(__APPLE__)
    return false;
#else
    struct stat status {};
    return ::stat(socket_path().c_str(), &status) == 0 && S_ISSOCK(status.st_mode);
#endif
}

nlohmann::json flush_chromium() {
#if defined(_WIN32) || defined(__APPLE__)
    // Chrome there verifies with the OS (crypt32, Security.framework), which has no such cache
    // problem for a newly added root; and there is no helper.
    unavailable("no flush helper on this system");
#else
    const std::string answer = ask_helper(socket_path());
    if (answer == "started") {
        return {{"available", true}, {"state", "started"}, {"effective_in_ms", kEffectiveInMs}};
    }
    if (answer == "busy") {
        return {{"available", true}, {"state", "busy"}, {"effective_in_ms", kBusyEffectiveInMs}};
    }
    if (answer == "no-browser")
        unavailable("neither /etc/chromium nor /etc/opt/chrome exists");
    unavailable("the flush helper answered \"" + answer + "\"");
#endif
}

}  // namespace epos::ops
