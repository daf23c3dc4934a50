#include "raw_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace epos::emulator {

TcpListener::TcpListener(const std::string& address, int port) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<uint16_t>(port));
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<uint16_t>(port));
        length = sizeof *v6;
    } else {
        throw std::runtime_error("--address " + address + " is not an IP address");
    }
    fd_ = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    if (fd_ < 0 || setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        bind(fd_, reinterpret_cast<sockaddr*>(&storage), length) != 0 || listen(fd_, 64) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd_ >= 0) {
            close(fd_);
        }
        throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " +
                                 reason);
    }
    getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length);
    port_ = ntohs(storage.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
}

TcpListener::~TcpListener() {
    if (fd_ >= 0) {
        close(fd_);
    }
}

StopPipe::StopPipe() {
    if (pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
}

StopPipe::~StopPipe() {
    close(fds_[0]);
    close(fds_[1]);
}

void StopPipe::notify() {
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = write(fds_[1], &byte, 1);
}

int accept_or_stop(const TcpListener& listener, const StopPipe& stop) {
    for (;;) {
        pollfd fds[2] = {{listener.fd(), POLLIN, 0}, {stop.read_fd(), POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (fds[1].revents != 0) {
            return -1;
        }
        if ((fds[0].revents & POLLIN) != 0) {
            const int client = accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
            if (client >= 0) {
                return client;
            }
        }
    }
}

void set_socket_timeouts(int fd, int seconds) {
    timeval timeout{seconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

}  // namespace epos::emulator
