// epos-trust: one binary, two faces. A browser that launches it as a native messaging host gets
// frames on stdin/stdout; anyone else gets the command line.
#include <iostream>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "cli/cli.hpp"
#include "net/tls_library.hpp"
#include "nm/launch.hpp"
#include "nm/session.hpp"
#include "policy/machine_policy.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
    epos::net::init_tls_library();
    epos::log::open_file_from_environment();
    if (const auto caller = epos::nm::browser_launch(argc, argv)) {
#ifdef _WIN32
        // Frames are binary: text mode would turn a 0x0A in a length into CR LF.
        _setmode(_fileno(stdin), _O_BINARY);
        _setmode(_fileno(stdout), _O_BINARY);
#endif
        std::ios::sync_with_stdio(false);
        std::cin.tie(nullptr);
        epos::ops::Context context;
        context.caller = *caller;
        context.policy = epos::policy::load_machine_policy();
        return epos::nm::serve(std::cin, std::cout, context);
    }
    return epos::cli::run(argc, argv, std::cout, std::cerr);
}
