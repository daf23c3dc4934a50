#pragma once

#include <ostream>

namespace epos::cli {

// The command line face: `epos-trust <command> [options]`. Exit status 0 on success, 1 when the
// operation failed (the message says why), 2 for a usage error.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace epos::cli
