// epos-trust: one binary, two faces. A browser that launches it as a native messaging host gets
// frames on stdin/stdout; anyone else gets the command line.
#include <iostream>

#include "cli/cli.hpp"
#include "nm/launch.hpp"
#include "nm/session.hpp"
#include "policy/policy.hpp"

int main(int argc, char** argv) {
    if (const auto caller = epos::nm::browser_launch(argc, argv)) {
        std::ios::sync_with_stdio(false);
        std::cin.tie(nullptr);
        epos::ops::Context context;
        context.caller = *caller;
        context.policy = epos::policy::load_policy(epos::policy::default_policy_path());
        return epos::nm::serve(std::cin, std::cout, context);
    }
    return epos::cli::run(argc, argv, std::cout, std::cerr);
}
