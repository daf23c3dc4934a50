// The machine policy from HKLM\Software\Policies\epos-trust. Each policy.json setting has the
// registry form Group Policy writes (installers/policy/windows/epos-trust.admx):
//   allowed_networks, pinned_sha256, pos_origins (lists): a subkey of that name whose values
//     "1", "2", ... are REG_SZ items, in that order (Chrome's list-policy form);
//   installs_allowed, require_confirmation (booleans): REG_DWORD 0 or 1;
//   windows_store (text): REG_SZ.
// The key is turned into the JSON policy.json would hold and validated by parse_policy, so a
// setting means the same in both places and an unknown or mistyped one is refused the same way.
#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "policy/machine_policy.hpp"
#include "store/windows/registry_key.hpp"
#include "util/failure.hpp"

namespace epos::policy {
namespace {

using store::windows::RegistryHive;
using store::windows::RegistryKey;

constexpr const char* kPolicyKey = "Software\\Policies\\epos-trust";
constexpr const char* kSource = "HKLM\\Software\\Policies\\epos-trust";

[[noreturn]] void invalid(const std::string& why) {
    throw Failure("policy_invalid", "The machine policy is invalid: " + why);
}

// A value as JSON: REG_DWORD 0/1 as a boolean (any other number stays a number, which
// parse_policy refuses for every setting), REG_SZ as a string, anything else refused.
nlohmann::json value_of(const RegistryKey& key, const std::string& name) {
    try {
        if (const auto dword = key.dword_value(name)) {
            if (*dword <= 1) {
                return *dword == 1;
            }
            return *dword;
        }
    } catch (const Failure&) {
        // not a DWORD: try text below
    }
    try {
        if (const auto text = key.string_value(name)) {
            return *text;
        }
    } catch (const Failure&) {
    }
    invalid(key.path() + " \"" + name + "\" must be a REG_DWORD or a REG_SZ value.");
}

bool is_number(const std::string& text) {
    return !text.empty() && text.size() < 10 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A list subkey: values "1", "2", ... (REG_SZ), in numeric order; nothing else in it.
nlohmann::json list_of(const RegistryKey& key) {
    if (!key.subkey_names().empty()) {
        invalid(key.path() + " must hold only values \"1\", \"2\", ..., not subkeys.");
    }
    std::vector<std::pair<unsigned long, std::string>> items;
    for (const auto& name : key.value_names()) {
        if (!is_number(name)) {
            invalid(key.path() + " \"" + name + "\": list items are named 1, 2, 3, ...");
        }
        std::optional<std::string> text;
        try {
            text = key.string_value(name);
        } catch (const Failure&) {
        }
        if (!text) {
            invalid(key.path() + " \"" + name + "\" must be a REG_SZ value.");
        }
        items.emplace_back(std::stoul(name), *text);
    }
    std::sort(items.begin(), items.end());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& item : items) {
        list.push_back(item.second);
    }
    return list;
}

}  // namespace

Policy load_machine_policy() {
    try {
        const auto key = RegistryKey::open(RegistryHive::LocalMachine, kPolicyKey);
        if (!key) {
            return Policy{};  // no policy: the defaults
        }
        nlohmann::json doc = nlohmann::json::object();
        for (const auto& name : key->value_names()) {
            if (name.empty()) {
                continue;  // the key's unnamed default value carries nothing
            }
            doc[name] = value_of(*key, name);
        }
        for (const auto& name : key->subkey_names()) {
            if (doc.contains(name)) {
                invalid(std::string(kSource) + " has both a value and a subkey \"" + name + "\".");
            }
            const auto list = RegistryKey::open(RegistryHive::LocalMachine,
                                                std::string(kPolicyKey) + "\\" + name);
            doc[name] = list ? list_of(*list) : nlohmann::json::array();
        }
        Policy policy = parse_policy(doc.dump());
        policy.source = kSource;
        return policy;
    } catch (const Failure& failure) {
        Policy refused;
        refused.source = kSource;
        refused.error = failure.what();
        return refused;
    }
}

}  // namespace epos::policy
