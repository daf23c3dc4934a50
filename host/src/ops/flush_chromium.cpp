#include "ops/flush_chromium.hpp"

#include <cstdlib>
#include <string>

#include "net/socket.hpp"
#include "util/failure.hpp"

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

std::string socket_path() {
    const char* override_path = std::getenv("EPOS_TRUST_FLUSH_SOCKET");
    return override_path && *override_path ? override_path : kFlushSocketPath;
}

// Connecting is the whole request (the helper reads nothing); the answer is one line.
std::string ask_helper(const std::string& path) {
    net::LocalSocket socket;
    std::string error;
    switch (socket.connect(path, error)) {
        case net::LocalSocket::Connect::Connected:
            break;
        case net::LocalSocket::Connect::PathTooLong:
            unavailable("the socket path is too long");
        case net::LocalSocket::Connect::NoSocket:
            unavailable("socket: " + error);
        case net::LocalSocket::Connect::Failed:
            unavailable("no flush helper at " + path + ": " + error);
        case net::LocalSocket::Connect::Unsupported:
            // Chrome on Windows verifies with the OS (crypt32), which has no such cache problem
            // for a newly added root; and there is no helper.
            unavailable("no flush helper on this system");
    }
    std::string answer;
    char buffer[64];
    for (;;) {
        if (socket.wait_readable(kAnswerTimeoutMs) <= 0)
            unavailable("the flush helper did not answer");
        const long got = socket.read_some(buffer, sizeof(buffer));
        if (got <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(got));
        if (answer.find('\n') != std::string::npos || answer.size() > 256)
            break;
    }
    return answer.substr(0, answer.find('\n'));
}

}  // namespace

bool flush_helper_present() {
    return net::LocalSocket::present(socket_path());
}

FlushStarted flush_chromium() {
    const std::string answer = ask_helper(socket_path());
    if (answer == "started") {
        return {"started", kEffectiveInMs};
    }
    if (answer == "busy") {
        return {"busy", kBusyEffectiveInMs};
    }
    if (answer == "no-browser")
        unavailable("neither /etc/chromium nor /etc/opt/chrome exists");
    unavailable("the flush helper answered \"" + answer + "\"");
}

}  // namespace epos::ops
