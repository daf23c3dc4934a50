#include "policy/machine_policy.hpp"

namespace epos::policy {

Policy load_machine_policy() {
    return load_policy(default_policy_path());
}

}  // namespace epos::policy
