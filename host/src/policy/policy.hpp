#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/address_class.hpp"

namespace epos::policy {

// The machine policy an administrator sets (docs/admin.md). The host enforces it whatever the
// extension asks: the extension runs in the browser, the host is the security boundary
// (docs/design.md "Machine policy").
struct Policy {
    std::set<AddressClass> allowed_networks{AddressClass::Loopback, AddressClass::Private,
                                            AddressClass::LinkLocal, AddressClass::Ula};
    std::vector<std::string>
        pinned_sha256;  // lowercase hex: trusted without a person's confirmation
    bool installs_allowed = true;
    bool require_confirmation = true;
    // The POS page origins allowed to have prints relayed (and to be recorded by trust), exactly
    // as browsers write an origin ("https://pos.example.com"); nullopt: any origin the person
    // trusted a printer for.
    std::optional<std::vector<std::string>> pos_origins;
    // Windows: "current_user_root" (default) or "local_machine_trusted_people" (leaf-only, admin).
    std::string windows_store = "current_user_root";

    std::string source = "defaults";  // the file it came from
    std::string error;                // non-empty: the file exists but is refused; fail closed

    bool allows(AddressClass cls) const { return allowed_networks.count(cls) != 0; }
    // What the host does: a refused file forbids every install, whatever it says.
    bool installs_permitted() const { return installs_allowed && error.empty(); }
    bool is_pinned(const std::string& sha256) const;
    bool allows_pos_origin(const std::string& origin) const;
};

// `text` when it is a POS page origin as browsers serialise one (https, lowercase host, no
// default port, no path); nullopt otherwise.
std::optional<std::string> canonical_pos_origin(std::string_view text);

// Where the machine policy lives on this OS (Linux/macOS: a root-owned file).
std::filesystem::path default_policy_path();

// Reads a policy file. A missing file gives the defaults. A file that is not valid JSON, has
// unknown or wrongly typed keys, or that someone other than root could have written is refused:
// the result carries `error` and the host then refuses every install (fail closed), because a
// policy that cannot be trusted must not silently fall back to the permissive defaults.
Policy load_policy(const std::filesystem::path& path, bool require_root_owned = true);

// Parses policy JSON text (no file checks). Throws Failure{"policy_invalid"}.
Policy parse_policy(const std::string& text);

}  // namespace epos::policy
