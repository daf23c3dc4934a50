#pragma once
// A listening TCP socket for unit tests: on a loopback address, on the port asked or one the
// system picks (0). Loopback only: tests never reach another address (docs/design.md "How it is
// tested").
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

#include <gtest/gtest.h>

namespace epos::testing {

class LoopbackListener {
  public:
    explicit LoopbackListener(const char* address, std::uint16_t port = 0, int backlog = 64) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        ::inet_pton(AF_INET, address, &sa.sin_addr);
        const int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0) << address;
        EXPECT_EQ(::listen(fd_, backlog), 0);
        socklen_t size = sizeof sa;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &size);
        port_ = ntohs(sa.sin_port);
    }
    ~LoopbackListener() { ::close(fd_); }
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;
    std::uint16_t port() const { return port_; }

  private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace epos::testing
