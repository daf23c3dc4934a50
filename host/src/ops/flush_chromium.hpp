#pragma once

#include <string>

namespace epos::ops {

// Where the root helper listens (installers/linux/epos-trust-flush.socket).
inline constexpr const char* kFlushSocketPath = "/run/epos-trust/flush.sock";

// docs/protocol.md "flush-chromium": asks the system's flush helper to make a running Chromium or
// Chrome drop its cached certificate verdicts, so a printer trusted after the browser had already
// refused it loads without a restart (docs/browser-behaviour.md §6: a managed certificate policy
// change flushes the cache 5.0 s later; measured secure 6.7 s after). Returns what the helper
// said and when the flush takes effect; throws Failure{"flush_unavailable"} where no helper is
// installed (then a restart is the way). EPOS_TRUST_FLUSH_SOCKET names another socket (tests, which
// have no systemd).
struct FlushStarted {
    std::string state;    // "started", or "busy" (one is running: this one follows it)
    int effective_in_ms;  // from now until a reload of the printer's page is secure
};
FlushStarted flush_chromium();

// Whether a flush helper's socket is there to ask (the socket file exists and is a socket), so
// that `hello` can tell the extension whether to offer the flush at all. Cheap: it does not
// connect, which would start a flush. False on Windows and macOS.
bool flush_helper_present();

}  // namespace epos::ops
