#pragma once

#include <memory>

#include "nm/command.hpp"

namespace epos::nm {

// One factory per command; each lives in its own <name>_command.cpp.
std::unique_ptr<Command> make_hello_command();
std::unique_ptr<Command> make_inspect_command();
std::unique_ptr<Command> make_trust_command();
std::unique_ptr<Command> make_untrust_command();
std::unique_ptr<Command> make_list_command();
std::unique_ptr<Command> make_flush_chromium_command();
std::unique_ptr<Command> make_relay_command();
std::unique_ptr<Command> make_export_cert_command();

}  // namespace epos::nm
