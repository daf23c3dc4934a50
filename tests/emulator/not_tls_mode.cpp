#include "not_tls_mode.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <iostream>

namespace epos::emulator {

std::string clear_text_answer(const std::string& first_bytes) {
    const bool looks_like_http = !first_bytes.empty() && first_bytes[0] >= 'A' &&
                                 first_bytes[0] <= 'Z' &&
                                 first_bytes.find(" HTTP/1.") != std::string::npos;
    const std::string body = looks_like_http
                                 ? "<html><body>A plain HTTP server, no TLS.</body></html>\n"
                                 : "<html><body>400 Bad Request</body></html>\n";
    return std::string(looks_like_http ? "HTTP/1.1 200 OK" : "HTTP/1.1 400 Bad Request") +
           "\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

void run_not_tls_mode(const TcpListener& listener, const StopPipe& stop) {
    for (;;) {
        const int client = accept_or_stop(listener, stop);
        if (client < 0) {
            return;
        }
        set_socket_timeouts(client, 2);
        char buffer[4096];
        const ssize_t received = recv(client, buffer, sizeof buffer, 0);
        const std::string first(buffer, received > 0 ? static_cast<std::size_t>(received) : 0);
        const std::string answer = clear_text_answer(first);
        [[maybe_unused]] const ssize_t sent =
            send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
        std::cerr << "epos-emulator: not-tls: answered " << answer.substr(0, answer.find('\r'))
                  << '\n';
        close(client);
    }
}

}  // namespace epos::emulator
