#include "stall_mode.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <vector>

namespace epos::emulator {

void run_stall_mode(const TcpListener& listener, const StopPipe& stop) {
    std::vector<int> clients;
    for (;;) {
        std::vector<pollfd> fds{{stop.read_fd(), POLLIN, 0}, {listener.fd(), POLLIN, 0}};
        for (int client : clients) {
            fds.push_back({client, POLLIN, 0});
        }
        if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
            break;
        }
        if (fds[0].revents != 0) {
            break;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            const int client = accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
            if (client >= 0) {
                std::cerr << "epos-emulator: stall: holding a connection, answering nothing\n";
                clients.push_back(client);
            }
        }
        std::vector<int> still_open;
        for (std::size_t i = 2; i < fds.size(); ++i) {
            char discard[4096];
            if (fds[i].revents != 0 && read(fds[i].fd, discard, sizeof discard) <= 0) {
                close(fds[i].fd);  // the client gave up
            } else {
                still_open.push_back(fds[i].fd);
            }
        }
        clients = std::move(still_open);
    }
    for (int client : clients) {
        close(client);
    }
}

}  // namespace epos::emulator
