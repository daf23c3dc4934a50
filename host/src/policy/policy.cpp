#include "policy/policy.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "net/target.hpp"  // pos_origins are checked as the URL parser reads origins
#include "util/failure.hpp"

namespace epos::policy {
namespace {

[[noreturn]] void invalid(const std::string& why) {
    throw Failure("policy_invalid", "The machine policy is invalid: " + why);
}

bool is_hex64(const std::string& text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// Accepts "AB:CD:..." or "abcd..." and returns lowercase hex without separators.
std::string normalise_fingerprint(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == ':' || c == ' ') {
            continue;
        }
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!is_hex64(out)) {
        invalid("\"" + text + "\" is not a SHA-256 fingerprint (64 hexadecimal digits).");
    }
    return out;
}

}  // namespace

bool Policy::is_pinned(const std::string& sha256) const {
    return std::find(pinned_sha256.begin(), pinned_sha256.end(), sha256) != pinned_sha256.end();
}

bool Policy::allows_pos_origin(const std::string& origin) const {
    return !pos_origins ||
           std::find(pos_origins->begin(), pos_origins->end(), origin) != pos_origins->end();
}

std::optional<std::string> canonical_pos_origin(std::string_view text) {
    try {
        const net::Target target = net::parse_target(text);
        if (target.origin() == text) {
            return target.origin();
        }
    } catch (const Failure&) {
    }
    return std::nullopt;
}

std::filesystem::path default_policy_path() {
#ifdef __APPLE__
    return "/Library/Application Support/epos-trust/policy.json";
#else
    return "/etc/epos-trust/policy.json";
#endif
}

Policy parse_policy(const std::string& text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        // parse_error, and out_of_range for a number too large for a double (found by
        // tests/fuzz/policy_fuzz: it escaped load_policy and killed the host at start).
        invalid(std::string("not JSON (") + e.what() + ").");
    }
    if (!doc.is_object()) {
        invalid("the top level must be a JSON object.");
    }
    Policy policy;
    for (const auto& [key, value] : doc.items()) {
        if (key == "allowed_networks") {
            if (!value.is_array()) {
                invalid("\"allowed_networks\" must be a list of address classes.");
            }
            policy.allowed_networks.clear();
            for (const auto& item : value) {
                if (!item.is_string()) {
                    invalid("\"allowed_networks\" must hold strings.");
                }
                try {
                    policy.allowed_networks.insert(
                        address_class_from_string(item.get<std::string>()));
                } catch (const Failure&) {
                    invalid("unknown network class \"" + item.get<std::string>() +
                            "\" (use loopback, private, link_local, ula, cgnat, public).");
                }
            }
        } else if (key == "pinned_sha256") {
            if (!value.is_array()) {
                invalid("\"pinned_sha256\" must be a list of fingerprints.");
            }
            for (const auto& item : value) {
                if (!item.is_string()) {
                    invalid("\"pinned_sha256\" must hold strings.");
                }
                policy.pinned_sha256.push_back(normalise_fingerprint(item.get<std::string>()));
            }
        } else if (key == "installs_allowed" || key == "require_confirmation") {
            if (!value.is_boolean()) {
                invalid("\"" + key + "\" must be true or false.");
            }
            (key == "installs_allowed" ? policy.installs_allowed : policy.require_confirmation) =
                value.get<bool>();
        } else if (key == "pos_origins") {
            if (!value.is_array()) {
                invalid("\"pos_origins\" must be a list of POS page origins.");
            }
            std::vector<std::string> origins;
            for (const auto& item : value) {
                const auto origin =
                    item.is_string() ? canonical_pos_origin(item.get<std::string>()) : std::nullopt;
                if (!origin) {
                    invalid(
                        "\"pos_origins\" must hold origins written as browsers do "
                        "(\"https://pos.example.com\", \"https://host:8069\"): " +
                        item.dump() + " is not one.");
                }
                if (std::find(origins.begin(), origins.end(), *origin) == origins.end()) {
                    origins.push_back(*origin);
                }
            }
            policy.pos_origins = std::move(origins);
        } else if (key == "windows_store") {
            if (!value.is_string() ||
                (value != "current_user_root" && value != "local_machine_trusted_people")) {
                invalid(
                    "\"windows_store\" must be current_user_root or local_machine_trusted_people.");
            }
            policy.windows_store = value.get<std::string>();
        } else if (key.rfind("_", 0) == 0) {
            // "_comment" and friends: room for the admin's notes.
        } else {
            invalid("unknown setting \"" + key + "\".");
        }
    }
    return policy;
}

Policy load_policy(const std::filesystem::path& path, bool require_root_owned) {
    struct stat info {};
    if (::stat(path.string().c_str(), &info) != 0) {
        Policy defaults;
        return defaults;
    }
    Policy refused;
    refused.source = path.string();
    if (!S_ISREG(info.st_mode)) {
        refused.error = path.string() + " is not a regular file.";
        return refused;
    }
    // Anyone who can write the policy can widen trust: only a root-owned file that no one else
    // can write counts (the same rule browsers apply to their managed policy directories).
#ifdef _WIN32
    // Windows reads the machine policy from HKLM (only administrators can write it); a file
    // there is a test fixture and carries no ownership to check.
    (void)require_root_owned;
    if (false) {
#else
    if (require_root_owned && (info.st_uid != 0 || (info.st_mode & (S_IWGRP | S_IWOTH)) != 0)) {
#endif
        refused.error = path.string() +
                        " must be owned by root and writable by root only; it is ignored and "
                        "installs are refused until that is fixed.";
        return refused;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
        refused.error = "Could not read " + path.string() + ".";
        return refused;
    }
    try {
        Policy policy = parse_policy(text.str());
        policy.source = path.string();
        return policy;
    } catch (const Failure& failure) {
        refused.error = failure.what();
        return refused;
    }
}

}  // namespace epos::policy
