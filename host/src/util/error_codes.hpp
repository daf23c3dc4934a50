#pragma once

#include <array>
#include <string_view>

namespace epos::errors {

// Every error code the host answers with (a Failure's code), in one list, so that the code,
// docs/protocol.md's table and the extension's sentences (extension/src/ui/messages.js) cannot
// drift apart: tests/repo/error_codes.test.mjs reads this list and compares it with the three.
// A new code goes here first, then into docs/protocol.md (and, if a person may meet it, into
// messages.js and the locales).
enum class Face {
    Protocol,  // a native messaging reply's error.code (and the CLI's --json error)
    Cli,       // only the command line meets it (register, export-policy, discover)
};

struct ErrorCode {
    std::string_view code;
    Face face;
};

inline constexpr std::array kErrorCodes = {
    // framing and the request itself
    ErrorCode{"frame_too_large", Face::Protocol},
    ErrorCode{"empty_frame", Face::Protocol},
    ErrorCode{"invalid_utf8", Face::Protocol},
    ErrorCode{"invalid_json", Face::Protocol},
    ErrorCode{"bad_request", Face::Protocol},
    ErrorCode{"unknown_command", Face::Protocol},
    ErrorCode{"busy", Face::Protocol},
    // the printer and the network
    ErrorCode{"bad_url", Face::Protocol},
    ErrorCode{"address_not_local", Face::Protocol},
    ErrorCode{"resolve_failed", Face::Protocol},
    ErrorCode{"unreachable", Face::Protocol},
    ErrorCode{"timeout", Face::Protocol},
    ErrorCode{"not_tls", Face::Protocol},
    ErrorCode{"tls_failed", Face::Protocol},
    ErrorCode{"bad_certificate", Face::Protocol},
    ErrorCode{"reply_too_large", Face::Protocol},
    // trust and untrust
    ErrorCode{"fingerprint_mismatch", Face::Protocol},
    ErrorCode{"certificate_unusable", Face::Protocol},
    ErrorCode{"certificate_too_broad", Face::Protocol},
    ErrorCode{"certificate_invalid", Face::Protocol},
    ErrorCode{"policy_forbids", Face::Protocol},
    ErrorCode{"policy_invalid", Face::Protocol},
    ErrorCode{"no_store", Face::Protocol},
    ErrorCode{"store_failed", Face::Protocol},
    ErrorCode{"not_trusted", Face::Protocol},
    ErrorCode{"journal_corrupt", Face::Protocol},
    ErrorCode{"journal_unwritable", Face::Protocol},
    // the print relay
    ErrorCode{"relay_not_trusted", Face::Protocol},
    ErrorCode{"relay_origin_not_allowed", Face::Protocol},
    ErrorCode{"relay_refused", Face::Protocol},
    // flush-chromium
    ErrorCode{"flush_unavailable", Face::Protocol},
    // a bug
    ErrorCode{"internal", Face::Protocol},
    // the command line only
    ErrorCode{"host_path_unknown", Face::Cli},
    ErrorCode{"bad_host_path", Face::Cli},
    ErrorCode{"unknown_browser", Face::Cli},
    ErrorCode{"manifest_unwritable", Face::Cli},
    ErrorCode{"bad_host_name", Face::Cli},
    ErrorCode{"bad_manifest_path", Face::Cli},
    ErrorCode{"nothing_to_export", Face::Cli},
    ErrorCode{"unwritable", Face::Cli},
    ErrorCode{"unsupported", Face::Cli},
    ErrorCode{"export_unwritable", Face::Cli},
};

// True when `code` is in the list: the faces log a code that is not (a bug to fix here).
constexpr bool is_registered(std::string_view code) {
    for (const auto& entry : kErrorCodes) {
        if (entry.code == code) {
            return true;
        }
    }
    return false;
}

}  // namespace epos::errors
