#pragma once

#include <cstdint>
#include <memory>
#include <string>

// The operating system's side of a TCP connection, so that tls_probe.cpp and target.cpp stay
// portable. Two implementations, chosen by host/CMakeLists.txt: net/posix/socket.cpp (BSD
// sockets, SIGPIPE) and net/windows/socket.cpp (Winsock 2: WSAStartup, closesocket, WSAPoll).
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

    // The handle as OpenSSL's SSL_set_fd takes it (a Winsock SOCKET fits: OpenSSL casts back).
    int openssl_fd() const;
    bool valid() const;

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
