#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

// The operating system's side of a socket, so that everything above it (tls_probe, the connect
// sweep, ops' flush-chromium) stays portable. Two implementations, chosen by
// host/CMakeLists.txt: net/posix/socket.cpp (BSD sockets, poll, SIGPIPE) and
// net/windows/socket.cpp (Winsock 2: WSAStartup, closesocket, select and WSAPoll).
namespace epos::net {

// Makes the socket API usable in this process (Winsock needs WSAStartup once before any call,
// getaddrinfo included); cheap and idempotent. Throws Failure{"internal"}.
void init_sockets();

// The last socket error of this thread as a sentence fragment ("Connection refused").
std::string last_socket_error();

enum class Readiness { Read, Write };

// One non-blocking TCP socket, not inherited by child processes, closed with the object.
class TcpSocket {
  public:
    enum class Connect { Connected, InProgress, Failed };

    TcpSocket() = default;
    ~TcpSocket();
    TcpSocket(TcpSocket&& other) noexcept;
    TcpSocket& operator=(TcpSocket&& other) noexcept;
    TcpSocket(const TcpSocket&) = delete;
    TcpSocket& operator=(const TcpSocket&) = delete;

    // A new socket for IPv4 or IPv6, with TCP_NODELAY. Throws Failure{"internal"}.
    static TcpSocket create(bool ipv6);

    // Starts connecting to a numeric address. On Failed, `error` says why.
    Connect start_connect(const std::string& numeric_address, std::uint16_t port,
                          std::string& error);
    // After InProgress: 1 connected, 0 the timeout passed, -1 failed (`error` says why).
    int wait_connected(int timeout_ms, std::string& error);
    // Waits until the socket can be read or written: > 0 ready, 0 timeout, < 0 error.
    int wait(Readiness what, int timeout_ms);

    // Waits up to `timeout_ms` for the connects in flight on `sockets` (each after InProgress;
    // invalid ones are skipped), all at once. Each one that finished is reported to
    // `finished(index, connected)` and closed (left invalid). Returns how many finished: 0 when
    // the timeout passed (or a signal interrupted the wait) first, -1 when the wait failed.
    // At most kMaxConnectWait sockets.
    static int wait_connects(std::span<TcpSocket> sockets, int timeout_ms,
                             const std::function<void(std::size_t, bool)>& finished);
    static constexpr std::size_t kMaxConnectWait = 512;  // well below the usual 1024 open files

    // The handle as OpenSSL's SSL_set_fd takes it (a Winsock SOCKET fits: OpenSSL casts back).
    int openssl_fd() const;
    bool valid() const;

  private:
    std::intptr_t handle_ = -1;
};

// A blocking stream socket to a local (Unix domain) socket, for a helper on this machine (ops'
// flush-chromium), closed with the object. Windows has no such helper: connect says Unsupported.
class LocalSocket {
  public:
    enum class Connect { Connected, PathTooLong, NoSocket, Failed, Unsupported };

    LocalSocket() = default;
    ~LocalSocket();
    LocalSocket(LocalSocket&& other) noexcept;
    LocalSocket& operator=(LocalSocket&& other) noexcept;
    LocalSocket(const LocalSocket&) = delete;
    LocalSocket& operator=(const LocalSocket&) = delete;

    // A new socket connected to `path`. On NoSocket (socket() failed) and Failed (connect()
    // failed), `error` is the system's reason.
    Connect connect(const std::string& path, std::string& error);
    // Waits until there is something to read: > 0 ready, 0 timeout, < 0 error. A signal does not
    // end the wait.
    int wait_readable(int timeout_ms);
    // Reads what is there: the byte count, 0 when the peer hung up, < 0 on an error. A signal
    // does not end the read.
    long read_some(char* buffer, std::size_t size);

    // Whether `path` names a local socket (not only a file): cheap, connects to nothing.
    static bool present(const std::string& path);

  private:
    std::intptr_t handle_ = -1;
};

// Keeps a write to a socket whose peer has gone from killing the process: POSIX raises SIGPIPE
// for it (blocked in this thread while the guard lives, a pending one discarded at the end, as
// libcurl does); Windows has no such signal and the guard does nothing.
class PipeSignalGuard {
  public:
    PipeSignalGuard();
    ~PipeSignalGuard();
    PipeSignalGuard(const PipeSignalGuard&) = delete;
    PipeSignalGuard& operator=(const PipeSignalGuard&) = delete;

  private:
    struct Saved;
    std::unique_ptr<Saved> saved_;
};

}  // namespace epos::net
