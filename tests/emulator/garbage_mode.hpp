#pragma once

#include <openssl/ssl.h>

#include "raw_socket.hpp"

namespace epos::emulator {

// Mode garbage: completes a normal TLS handshake with the printer's certificate (so the host can
// fetch it), then sends bytes that are not HTTP and closes. The host's ePOS probe must report
// "not an ePOS printer" rather than hang or crash.
void run_garbage_mode(const TcpListener& listener, const StopPipe& stop, SSL_CTX& ctx);

// The bytes sent after the handshake: deterministic, binary, with no HTTP status line.
std::string garbage_bytes();

}  // namespace epos::emulator
