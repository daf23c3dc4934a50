#pragma once

#include "raw_socket.hpp"

namespace epos::emulator {

// Mode stall: accepts TCP connections and reads whatever arrives (the ClientHello), but never
// answers, like a wedged printer firmware. The host must give up at its handshake timeout
// (protocol error code `timeout`). Connections stay open until the client leaves or `stop`.
void run_stall_mode(const TcpListener& listener, const StopPipe& stop);

}  // namespace epos::emulator
