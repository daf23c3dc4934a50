#pragma once

#include <string>
#include <string_view>

namespace epos::log {

// Diagnostics for support. Native messaging owns stdout, so logs go to stderr (Chromium shows a
// host's stderr in its own log when started with --enable-logging; Firefox in the Browser
// Console) and, when asked, to a file: EPOS_TRUST_LOG=<path> in the environment, or the CLI's
// --log-file. Lines are appended with a UTC timestamp and the process id.
void open_file(const std::string& path);  // "" closes; an unwritable path is reported on stderr
void open_file_from_environment();

void info(std::string_view message);
void error(std::string_view message);

}  // namespace epos::log
