#pragma once

#include <istream>
#include <ostream>

#include "ops/context.hpp"

namespace epos::nm {

// Serves native messaging frames from `in` until EOF (sendNativeMessage sends one, connectNative
// many). Returns the process exit status: 0 also when the stream breaks, because then the browser
// has gone and no one is left to tell.
int serve(std::istream& in, std::ostream& out, ops::Context& context);

}  // namespace epos::nm
