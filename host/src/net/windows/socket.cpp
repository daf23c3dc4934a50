// net/socket.hpp on Windows: Winsock 2 (WSAStartup once, closesocket, WSAPoll,
// WSAGetLastError). There is no SIGPIPE: a write to a closed connection fails with WSAECONNRESET.
// A Winsock fd_set holds FD_SETSIZE sockets (64 unless defined before winsock2.h), and
// wait_connects selects on up to TcpSocket::kMaxConnectWait at once.
#define FD_SETSIZE 512
#include "net/socket.hpp"

#include "net/socket_api.hpp"
// after winsock2.h (socket_api.hpp): windows.h alone would pull in the old winsock.h
#include <windows.h>

#include <mutex>

#include "util/failure.hpp"

namespace epos::net {
namespace {

std::string error_text(int code) {
    char* text = nullptr;
    const DWORD length = FormatMessageA(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, static_cast<DWORD>(code), 0, reinterpret_cast<char*>(&text), 0, nullptr);
    std::string out = length > 0 && text != nullptr ? std::string(text, length) : std::string();
    if (text != nullptr) {
        LocalFree(text);
    }
    while (!out.empty() &&
           (out.back() == '\n' || out.back() == '\r' || out.back() == ' ' || out.back() == '.')) {
        out.pop_back();
    }
    return (out.empty() ? std::string("Winsock error") : out) + " (" + std::to_string(code) + ")";
}

SOCKET as_socket(std::intptr_t handle) {
    return static_cast<SOCKET>(handle);
}

}  // namespace

void init_sockets() {
    static std::once_flag once;
    static int result = 0;
    std::call_once(once, [] {
        WSADATA data{};
        result = WSAStartup(MAKEWORD(2, 2), &data);
    });
    if (result != 0) {
        throw Failure("internal", "WSAStartup: " + error_text(result));
    }
}

std::string last_socket_error() {
    return error_text(WSAGetLastError());
}

TcpSocket::~TcpSocket() {
    if (valid()) {
        closesocket(as_socket(handle_));
    }
}

TcpSocket::TcpSocket(TcpSocket&& other) noexcept : handle_(other.handle_) {
    other.handle_ = -1;
}

TcpSocket& TcpSocket::operator=(TcpSocket&& other) noexcept {
    if (this != &other) {
        if (valid()) {
            closesocket(as_socket(handle_));
        }
        handle_ = other.handle_;
        other.handle_ = -1;
    }
    return *this;
}

TcpSocket TcpSocket::create(bool ipv6) {
    init_sockets();
    // Not inherited: a child process must not keep the printer's connection open.
    const SOCKET s = WSASocketW(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0,
                                WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (s == INVALID_SOCKET) {
        throw Failure("internal", "socket(): " + last_socket_error());
    }
    TcpSocket socket;
    socket.handle_ = static_cast<std::intptr_t>(s);
    u_long non_blocking = 1;
    if (ioctlsocket(s, FIONBIO, &non_blocking) != 0) {
        throw Failure("internal", "ioctlsocket(FIONBIO): " + last_socket_error());
    }
    const BOOL one = TRUE;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&one), sizeof one);
    return socket;
}

TcpSocket::Connect TcpSocket::start_connect(const std::string& numeric_address, std::uint16_t port,
                                            std::string& error) {
    sockaddr_storage storage{};
    int length = 0;
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
    if (::connect(as_socket(handle_), reinterpret_cast<sockaddr*>(&storage), length) == 0) {
        return Connect::Connected;
    }
    const int code = WSAGetLastError();
    if (code == WSAEWOULDBLOCK || code == WSAEINPROGRESS) {
        return Connect::InProgress;
    }
    error = error_text(code);
    return Connect::Failed;
}

int TcpSocket::wait_connected(int timeout_ms, std::string& error) {
    // select(), not WSAPoll: WSAPoll does not report a refused connect on Windows 10 before
    // 2004 (it waits out the whole timeout); select() puts it in the exception set.
    fd_set writable;
    fd_set failed;
    FD_ZERO(&writable);
    FD_ZERO(&failed);
    FD_SET(as_socket(handle_), &writable);
    FD_SET(as_socket(handle_), &failed);
    timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    const int ready = select(0, nullptr, &writable, &failed, &timeout);
    if (ready == 0) {
        return 0;
    }
    if (ready == SOCKET_ERROR) {
        error = last_socket_error();
        return -1;
    }
    int so_error = 0;
    int so_error_length = sizeof so_error;
    getsockopt(as_socket(handle_), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&so_error),
               &so_error_length);
    if (so_error != 0 || FD_ISSET(as_socket(handle_), &failed)) {
        error = error_text(so_error != 0 ? so_error : WSAECONNREFUSED);
        return -1;
    }
    return 1;
}

int TcpSocket::wait(Readiness what, int timeout_ms) {
    WSAPOLLFD pfd{};
    pfd.fd = as_socket(handle_);
    pfd.events = what == Readiness::Read ? POLLRDNORM : POLLWRNORM;
    return WSAPoll(&pfd, 1, timeout_ms);
}

int TcpSocket::wait_connects(std::span<TcpSocket> sockets, int timeout_ms,
                             const std::function<void(std::size_t, bool)>& finished) {
    static_assert(FD_SETSIZE >= kMaxConnectWait);
    // select(), as in wait_connected: a refused connect lands in the exception set.
    fd_set writable;
    fd_set failed;
    FD_ZERO(&writable);
    FD_ZERO(&failed);
    std::size_t added = 0;
    for (std::size_t i = 0; i < sockets.size() && added < kMaxConnectWait; ++i) {
        if (sockets[i].valid()) {
            FD_SET(as_socket(sockets[i].handle_), &writable);
            FD_SET(as_socket(sockets[i].handle_), &failed);
            ++added;
        }
    }
    if (added == 0) {
        return 0;
    }
    timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    const int ready = select(0, nullptr, &writable, &failed, &timeout);
    if (ready == SOCKET_ERROR) {
        return -1;
    }
    int count = 0;
    for (std::size_t i = 0; i < sockets.size() && ready > 0; ++i) {
        if (!sockets[i].valid()) {
            continue;
        }
        const SOCKET s = as_socket(sockets[i].handle_);
        const bool is_writable = FD_ISSET(s, &writable) != 0;
        const bool is_failed = FD_ISSET(s, &failed) != 0;
        if (!is_writable && !is_failed) {
            continue;
        }
        int so_error = 0;
        int so_error_length = sizeof so_error;
        getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&so_error), &so_error_length);
        const bool connected = is_writable && !is_failed && so_error == 0;
        sockets[i] = TcpSocket();
        ++count;
        finished(i, connected);
    }
    return count;
}

int TcpSocket::openssl_fd() const {
    return static_cast<int>(handle_);
}

bool TcpSocket::valid() const {
    return handle_ != -1 && as_socket(handle_) != INVALID_SOCKET;
}

// The flush helper is Linux's (installers/linux); Chrome on Windows verifies with crypt32,
// which has no cache to flush for a newly added root.
LocalSocket::~LocalSocket() = default;
LocalSocket::LocalSocket(LocalSocket&& other) noexcept : handle_(other.handle_) {
    other.handle_ = -1;
}
LocalSocket& LocalSocket::operator=(LocalSocket&& other) noexcept {
    handle_ = other.handle_;
    other.handle_ = -1;
    return *this;
}
LocalSocket::Connect LocalSocket::connect(const std::string&, std::string&) {
    return Connect::Unsupported;
}
int LocalSocket::wait_readable(int) {
    return -1;
}
long LocalSocket::read_some(char*, std::size_t) {
    return -1;
}
bool LocalSocket::present(const std::string&) {
    return false;
}

struct PipeSignalGuard::Saved {};
PipeSignalGuard::PipeSignalGuard() = default;
PipeSignalGuard::~PipeSignalGuard() = default;

}  // namespace epos::net
