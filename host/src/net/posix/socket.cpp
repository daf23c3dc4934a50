// net/socket.hpp on POSIX: BSD sockets, poll(2), errno, and the SIGPIPE guard.
#include "net/socket.hpp"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "net/socket_api.hpp"
#include "util/failure.hpp"

namespace epos::net {

void init_sockets() {}

std::string last_socket_error() {
    return std::strerror(errno);
}

TcpSocket::~TcpSocket() {
    if (handle_ >= 0) {
        ::close(static_cast<int>(handle_));
    }
}

TcpSocket::TcpSocket(TcpSocket&& other) noexcept : handle_(other.handle_) {
    other.handle_ = -1;
}

TcpSocket& TcpSocket::operator=(TcpSocket&& other) noexcept {
    if (this != &other) {
        if (handle_ >= 0) {
            ::close(static_cast<int>(handle_));
        }
        handle_ = other.handle_;
        other.handle_ = -1;
    }
    return *this;
}

TcpSocket TcpSocket::create(bool ipv6) {
    const int fd =
        ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw Failure("internal", "socket(): " + last_socket_error());
    }
    TcpSocket socket;
    socket.handle_ = fd;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return socket;
}

TcpSocket::Connect TcpSocket::start_connect(const std::string& numeric_address, std::uint16_t port,
                                            std::string& error) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (numeric_address.find(':') != std::string::npos) {
        auto* sa = reinterpret_cast<sockaddr_in6*>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(port);
        inet_pton(AF_INET6, numeric_address.c_str(), &sa->sin6_addr);
        length = sizeof *sa;
    } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(port);
        inet_pton(AF_INET, numeric_address.c_str(), &sa->sin_addr);
        length = sizeof *sa;
    }
    if (::connect(static_cast<int>(handle_), reinterpret_cast<sockaddr*>(&storage), length) == 0) {
        return Connect::Connected;
    }
    if (errno == EINPROGRESS) {
        return Connect::InProgress;
    }
    error = last_socket_error();
    return Connect::Failed;
}

int TcpSocket::wait_connected(int timeout_ms, std::string& error) {
    pollfd pfd{static_cast<int>(handle_), POLLOUT, 0};
    const int ready = ::poll(&pfd, 1, timeout_ms);
    if (ready == 0) {
        return 0;
    }
    int so_error = 0;
    socklen_t so_error_length = sizeof so_error;
    getsockopt(static_cast<int>(handle_), SOL_SOCKET, SO_ERROR, &so_error, &so_error_length);
    if (ready < 0 || so_error != 0) {
        error = so_error != 0 ? std::strerror(so_error) : last_socket_error();
        return -1;
    }
    return 1;
}

int TcpSocket::wait(Readiness what, int timeout_ms) {
    pollfd pfd{static_cast<int>(handle_),
               static_cast<short>(what == Readiness::Read ? POLLIN : POLLOUT), 0};
    return ::poll(&pfd, 1, timeout_ms);
}

int TcpSocket::wait_connects(std::span<TcpSocket> sockets, int timeout_ms,
                             const std::function<void(std::size_t, bool)>& finished) {
    std::vector<pollfd> fds;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < sockets.size() && fds.size() < kMaxConnectWait; ++i) {
        if (sockets[i].valid()) {
            fds.push_back({static_cast<int>(sockets[i].handle_), POLLOUT, 0});
            index.push_back(i);
        }
    }
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready <= 0) {
        return ready < 0 && errno != EINTR ? -1 : 0;
    }
    int count = 0;
    for (std::size_t k = 0; k < fds.size(); ++k) {
        if (fds[k].revents == 0) {
            continue;
        }
        int error = 0;
        socklen_t size = sizeof error;
        ::getsockopt(fds[k].fd, SOL_SOCKET, SO_ERROR, &error, &size);
        const bool connected = error == 0 && (fds[k].revents & POLLOUT) != 0;
        sockets[index[k]] = TcpSocket();
        ++count;
        finished(index[k], connected);
    }
    return count;
}

int TcpSocket::openssl_fd() const {
    return static_cast<int>(handle_);
}

bool TcpSocket::valid() const {
    return handle_ >= 0;
}

LocalSocket::~LocalSocket() {
    if (handle_ >= 0) {
        ::close(static_cast<int>(handle_));
    }
}

LocalSocket::LocalSocket(LocalSocket&& other) noexcept : handle_(other.handle_) {
    other.handle_ = -1;
}

LocalSocket& LocalSocket::operator=(LocalSocket&& other) noexcept {
    if (this != &other) {
        if (handle_ >= 0) {
            ::close(static_cast<int>(handle_));
        }
        handle_ = other.handle_;
        other.handle_ = -1;
    }
    return *this;
}

LocalSocket::Connect LocalSocket::connect(const std::string& path, std::string& error) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path)) {
        return Connect::PathTooLong;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    *this = LocalSocket();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = last_socket_error();
        return Connect::NoSocket;
    }
    handle_ = fd;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        error = last_socket_error();
        return Connect::Failed;
    }
    return Connect::Connected;
}

int LocalSocket::wait_readable(int timeout_ms) {
    for (;;) {
        pollfd ready{static_cast<int>(handle_), POLLIN, 0};
        const int polled = ::poll(&ready, 1, timeout_ms);
        if (polled < 0 && errno == EINTR) {
            continue;
        }
        return polled;
    }
}

long LocalSocket::read_some(char* buffer, std::size_t size) {
    for (;;) {
        const ssize_t got = ::read(static_cast<int>(handle_), buffer, size);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        return static_cast<long>(got);
    }
}

bool LocalSocket::present(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 && S_ISSOCK(status.st_mode);
}

// OpenSSL writes to the socket with write(2): a server that closes the connection while the
// ClientHello (or the ePOS request) is on its way raised SIGPIPE and killed the host before it
// could reply (found by tests/hostile/servers.test.mjs, "accepts and closes at once"). SIGPIPE
// stays blocked in this thread while a connection is open and one raised meanwhile is discarded,
// as libcurl does, so the write fails with EPIPE and is reported as tls_failed.
struct PipeSignalGuard::Saved {
    sigset_t previous{};
};

namespace {
sigset_t sigpipe_only() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return set;
}
}  // namespace

PipeSignalGuard::PipeSignalGuard() : saved_(std::make_unique<Saved>()) {
    sigset_t pipe_only = sigpipe_only();
    pthread_sigmask(SIG_BLOCK, &pipe_only, &saved_->previous);
}

PipeSignalGuard::~PipeSignalGuard() {
    if (!sigismember(&saved_->previous, SIGPIPE)) {
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE)) {
            sigset_t pipe_only = sigpipe_only();
            const timespec no_wait{};
            sigtimedwait(&pipe_only, nullptr, &no_wait);
        }
    }
    pthread_sigmask(SIG_SETMASK, &saved_->previous, nullptr);
}

}  // namespace epos::net
