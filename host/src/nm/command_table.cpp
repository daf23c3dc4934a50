#include "nm/commands.hpp"

namespace epos::nm {

const CommandTable& command_table() {
    // clang-format off
    // One command per line keeps this table easy to read and to extend.
    static const CommandTable table = {
        {"hello", make_hello_command},
        {"inspect", make_inspect_command},
        {"trust", make_trust_command},
        {"untrust", make_untrust_command},
        {"list", make_list_command},
        {"flush-chromium", make_flush_chromium_command},
        {"relay", make_relay_command},
        {"export-cert", make_export_cert_command},
    };
    // clang-format on
    return table;
}

}  // namespace epos::nm
