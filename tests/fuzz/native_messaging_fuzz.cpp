// Fuzz target: a whole native messaging session (nm::serve = read_frame + dispatch + the
// session's stream rules) fed arbitrary bytes, as a hostile or broken browser-side peer could.
//
// The Context can never reach the network or a real trust store: its policy is refused (the
// state a machine with a broken policy file is in), so inspect and trust stop with
// policy_invalid after their fields are read, and HOME/state point into an empty scratch
// directory, so hello, list and untrust only look at nothing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <streambuf>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "nm/framing.hpp"
#include "nm/session.hpp"
#include "ops/context.hpp"

namespace {

// The host logs one line per request on stderr; at thousands of runs a second that would drown
// libFuzzer's own report (which it writes with fprintf, not std::cerr).
class NullBuffer : public std::streambuf {
  protected:
    int_type overflow(int_type c) override { return traits_type::not_eof(c); }
};

epos::ops::Context make_context() {
    epos::ops::Context context;
    context.caller.family = epos::Caller::Family::Chrome;
    context.caller.extension = "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/";
    context.policy.error = "fuzzing: every command that could reach the network is refused";
    context.timeouts.connect = std::chrono::milliseconds(1);
    context.timeouts.handshake = std::chrono::milliseconds(1);
    return context;
}

// Every reply on stdout must be a whole frame of at most 1 MiB holding a JSON object with a
// boolean "ok" (docs/protocol.md "Envelope"); nothing else may reach stdout.
void check_replies(const std::string& out) {
    std::size_t offset = 0;
    while (offset < out.size()) {
        EPOS_FUZZ_CHECK(out.size() - offset >= 4);
        std::uint32_t length = 0;
        std::memcpy(&length, out.data() + offset, sizeof length);
        EPOS_FUZZ_CHECK(length <= epos::nm::kMaxFrame);
        EPOS_FUZZ_CHECK(out.size() - offset - 4 >= length);
        const auto reply = nlohmann::json::parse(out.substr(offset + 4, length), nullptr, false);
        EPOS_FUZZ_CHECK(reply.is_object());
        EPOS_FUZZ_CHECK(reply.contains("id"));
        EPOS_FUZZ_CHECK(reply.contains("ok") && reply["ok"].is_boolean());
        if (!reply["ok"].get<bool>()) {
            EPOS_FUZZ_CHECK(reply["error"]["code"].is_string());
            EPOS_FUZZ_CHECK(reply["error"]["message"].is_string());
            // The refused policy must hold: no command may get past it to the network.
            const auto& code = reply["error"]["code"];
            EPOS_FUZZ_CHECK(code != "unreachable" && code != "timeout" && code != "not_tls" &&
                            code != "tls_failed" && code != "internal");
        }
        offset += 4 + length;
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static NullBuffer null_buffer;
    std::cerr.rdbuf(&null_buffer);
    const auto scratch =
        std::filesystem::temp_directory_path() / ("epos-fuzz-nm-" + std::to_string(::getpid()));
    std::filesystem::create_directories(scratch / "state");
    ::setenv("HOME", scratch.c_str(), 1);
    ::setenv("EPOS_TRUST_STATE_DIR", (scratch / "state").c_str(), 1);
    ::unsetenv("XDG_DATA_HOME");
    ::unsetenv("XDG_STATE_HOME");
    ::unsetenv("XDG_CONFIG_HOME");
    ::unsetenv("EPOS_TRUST_LOG");
    // libFuzzer leaves through exit() after its runs: take the scratch folder away with it.
    static std::filesystem::path to_remove;
    to_remove = scratch;
    std::atexit([] {
        std::error_code ignored;
        std::filesystem::remove_all(to_remove, ignored);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static epos::ops::Context context = make_context();
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    std::ostringstream out;
    const int status = epos::nm::serve(in, out, context);
    EPOS_FUZZ_CHECK(status == 0);
    check_replies(out.str());
    return 0;
}
