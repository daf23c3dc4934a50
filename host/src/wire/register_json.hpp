#pragma once

#include <nlohmann/json.hpp>

#include "ops/register.hpp"

namespace epos::wire {

// `register --json`: {scope, host, flush_module (null when none), manifests:[{browser, kind,
// path, action, registry?}], notes:[...]}.
nlohmann::json to_json(const ops::RegisterResult& registered);

// `unregister --json`: {scope, manifests:[{browser, kind, path, action, registry?,
// registry_action?}]}.
nlohmann::json to_json(const ops::UnregisterResult& unregistered);

}  // namespace epos::wire
