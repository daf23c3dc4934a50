#pragma once

#include <string>

namespace epos::emulator {

// A listening TCP socket for the modes that are not an HTTP server (stall, garbage, not-tls).
class TcpListener {
  public:
    // Binds address:port (0 = ephemeral) and listens. Throws std::runtime_error with a sentence.
    TcpListener(const std::string& address, int port);
    ~TcpListener();
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    int fd() const { return fd_; }
    int port() const { return port_; }

  private:
    int fd_ = -1;
    int port_ = 0;
};

// A pipe a signal watcher writes to, so that loops blocked in poll() wake up and end.
class StopPipe {
  public:
    StopPipe();
    ~StopPipe();
    StopPipe(const StopPipe&) = delete;
    StopPipe& operator=(const StopPipe&) = delete;

    void notify();
    int read_fd() const { return fds_[0]; }

  private:
    int fds_[2] = {-1, -1};
};

// Waits for a connection; returns its fd, or -1 once `stop` was notified.
int accept_or_stop(const TcpListener& listener, const StopPipe& stop);

// Bounds reads and writes on an accepted socket, so that one silent client cannot hold a
// sequential mode loop for ever.
void set_socket_timeouts(int fd, int seconds);

}  // namespace epos::emulator
