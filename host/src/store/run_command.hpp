#pragma once

#include <string>
#include <vector>

namespace epos::store {

struct CommandResult {
    int status = -1;     // exit status; -1 when it could not be started or was killed
    std::string output;  // stdout and stderr together
};

// Runs argv[0] with these arguments, no shell in between (so no argument is ever interpreted),
// and waits for it. POSIX only; Windows stores use APIs, not commands.
CommandResult run_command(const std::vector<std::string>& argv);

}  // namespace epos::store
