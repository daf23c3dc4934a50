#pragma once

#include <string>

#include "raw_socket.hpp"

namespace epos::emulator {

// Mode not-tls: a clear-text HTTP server on the port the host expects TLS on, answering as
// a plain web server does: a TLS ClientHello is not a request line, so "400 Bad Request" in
// clear text, right away (nginx does the same); a real HTTP request gets a small page.
void run_not_tls_mode(const TcpListener& listener, const StopPipe& stop);

// What is sent back for the first bytes a client sent.
std::string clear_text_answer(const std::string& first_bytes);

}  // namespace epos::emulator
