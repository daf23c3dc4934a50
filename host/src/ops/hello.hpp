#pragma once

#include <nlohmann/json.hpp>

#include "ops/context.hpp"

namespace epos::ops {

inline constexpr int kProtocolVersion = 1;

// docs/protocol.md "hello": what this host is and what it can do here.
nlohmann::json hello(const Context& context);

const char* os_name();

}  // namespace epos::ops
