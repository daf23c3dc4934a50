#pragma once

#include "net/tls_probe.hpp"
#include "policy/policy.hpp"
#include "util/caller.hpp"

namespace epos::ops {

// What every operation needs to know about this run of the host: who called it, the machine
// policy in force, and the network limits. Built once by main and passed to both faces.
struct Context {
    Caller caller;
    policy::Policy policy;
    net::Timeouts timeouts;
};

}  // namespace epos::ops
