#include "cli/console.hpp"

#include <unistd.h>

namespace epos::cli {

bool running_as_administrator() {
    return ::geteuid() == 0;
}

bool stdin_is_terminal() {
    return ::isatty(STDIN_FILENO) == 1;
}

bool stderr_is_terminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace epos::cli
