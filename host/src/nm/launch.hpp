#pragma once

#include <optional>

#include "util/caller.hpp"

namespace epos::nm {

// Recognises a browser launching us as a native messaging host from argv (docs/browser-behaviour.md
// §4):
//   Chromium family: [host, "chrome-extension://<id>/"] (+ "--parent-window=<hwnd>" on Windows)
//   Firefox:         [host, "<absolute path of our manifest>.json", "<add-on id>"]
// Anything else is the command line.
std::optional<Caller> browser_launch(int argc, const char* const* argv);

}  // namespace epos::nm
