#include "cli/cli_command.hpp"

namespace epos::cli {

std::vector<std::unique_ptr<CliCommand>> cli_commands() {
    std::vector<std::unique_ptr<CliCommand>> commands;
    commands.push_back(make_inspect_cli());
    commands.push_back(make_discover_cli());
    commands.push_back(make_trust_cli());
    commands.push_back(make_untrust_cli());
    commands.push_back(make_list_cli());
    commands.push_back(make_flush_chromium_cli());
    commands.push_back(make_export_cert_cli());
    commands.push_back(make_hello_cli());
    commands.push_back(make_doctor_cli());
    commands.push_back(make_register_cli());
    commands.push_back(make_unregister_cli());
    commands.push_back(make_export_policy_cli());
    return commands;
}

}  // namespace epos::cli
