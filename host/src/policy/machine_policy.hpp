#pragma once

#include "policy/policy.hpp"

// Where this system keeps the machine policy, read into the same Policy and through the same
// validation (parse_policy) everywhere; one implementation per system, chosen by
// host/CMakeLists.txt:
//   POSIX (policy/posix/):  the root-owned file default_policy_path() (load_policy).
//   Windows (policy/windows/): HKLM\Software\Policies\epos-trust, where only administrators can
//     write (as Chrome reads its own policies); never HKCU, which the user controls, so no
//     per-user value can widen anything; never a file (C:\etc\... can be created by any user).
namespace epos::policy {

// A missing policy gives the defaults; one that exists but is malformed carries `error` and
// every install is refused (fail closed).
Policy load_machine_policy();

}  // namespace epos::policy
