#pragma once

#include <istream>
#include <ostream>

#include "nm/command.hpp"
#include "ops/context.hpp"

namespace epos::nm {

// Serves native messaging frames from `in` until EOF (sendNativeMessage sends one, connectNative
// many). Returns the process exit status: 0 also when the stream breaks, because then the browser
// has gone and no one is left to tell. Every frame gets an answer, `internal` when something
// unplanned (not an epos::Failure) stopped it. `table`: the commands (tests pass their own).
int serve(std::istream& in, std::ostream& out, ops::Context& context,
          const CommandTable& table = command_table());

}  // namespace epos::nm
