#include "garbage_mode.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

namespace epos::emulator {

std::string garbage_bytes() {
    std::string bytes = "\x00\xff\xfe garbage, not HTTP \x01\x02\x03";
    bytes.resize(4096);
    unsigned state = 0x2545F491u;
    for (std::size_t i = 32; i < bytes.size(); ++i) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes[i] = static_cast<char>(state & 0xff);
    }
    return bytes;
}

void run_garbage_mode(const TcpListener& listener, const StopPipe& stop, SSL_CTX& ctx) {
    const std::string bytes = garbage_bytes();
    for (;;) {
        const int client = accept_or_stop(listener, stop);
        if (client < 0) {
            return;
        }
        set_socket_timeouts(client, 2);
        std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(&ctx), SSL_free);
        if (ssl && SSL_set_fd(ssl.get(), client) == 1 && SSL_accept(ssl.get()) == 1) {
            // Read the request if one comes quickly, so that the garbage is its "answer".
            char request[4096];
            SSL_read(ssl.get(), request, sizeof request);
            SSL_write(ssl.get(), bytes.data(), static_cast<int>(bytes.size()));
            SSL_shutdown(ssl.get());
            std::cerr << "epos-emulator: garbage: sent " << bytes.size() << " bytes after TLS\n";
        } else {
            std::cerr << "epos-emulator: garbage: handshake failed\n";
        }
        ssl.reset();
        close(client);
    }
}

}  // namespace epos::emulator
