// Fuzz target: the machine policy parser (policy::parse_policy). The file is root-owned, but a
// damaged one must still be refused cleanly (fail closed), never crash the host.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "policy/policy.hpp"
#include "util/failure.hpp"
#include "wire/policy_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto policy = epos::policy::parse_policy(text);
        EPOS_FUZZ_CHECK(policy.error.empty());
        for (const auto& pin : policy.pinned_sha256) {
            EPOS_FUZZ_CHECK(pin.size() == 64);
            EPOS_FUZZ_CHECK(policy.is_pinned(pin));
        }
        // What hello reports must serialise.
        (void)epos::wire::to_json(policy).dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
    } catch (const epos::Failure& failure) {
        EPOS_FUZZ_CHECK(failure.code() == "policy_invalid");
    }
    return 0;
}
