#pragma once

// What the command line asks of the system about itself: its rights and whether a person sits
// at its terminal. One implementation per system (cli/posix/console.cpp,
// cli/windows/console.cpp), chosen by host/CMakeLists.txt.
namespace epos::cli {

// POSIX: the effective user is root. Windows: the process token is elevated.
bool running_as_administrator();

// A person can answer on standard input / read progress on standard error. Windows asks the
// console (GetConsoleMode): _isatty() is true for NUL as well.
bool stdin_is_terminal();
bool stderr_is_terminal();

}  // namespace epos::cli
