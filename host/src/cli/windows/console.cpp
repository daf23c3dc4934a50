#include "cli/console.hpp"

#include <windows.h>

#include "store/windows/windows_store.hpp"

namespace epos::cli {
namespace {

bool is_console(DWORD which) {
    DWORD mode = 0;
    return GetConsoleMode(GetStdHandle(which), &mode) != 0;
}

}  // namespace

bool running_as_administrator() {
    return store::windows::process_is_elevated();
}

bool stdin_is_terminal() {
    return is_console(STD_INPUT_HANDLE);
}

bool stderr_is_terminal() {
    return is_console(STD_ERROR_HANDLE);
}

}  // namespace epos::cli
