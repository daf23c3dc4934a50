// Fuzz target: printer URL parsing (net::parse_target), the first thing the host does with a
// URL that a web page, through the extension, chose. Also the IP literal readers it relies on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cert/certificate.hpp"
#include "fuzz_check.hpp"
#include "net/target.hpp"
#include "util/failure.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)epos::cert::parse_ip(text);
    try {
        const auto target = epos::net::parse_target(text);
        EPOS_FUZZ_CHECK(!target.host.empty());
        EPOS_FUZZ_CHECK(target.port != 0);
        if (target.host_is_ip) {
            // Classifying an accepted literal never throws: it decides local or not.
            (void)epos::net::classify_address(target.host);
        }
        // The origin we report (and key caches and journals on) must read back as itself.
        const auto origin = target.origin();
        const auto again = epos::net::parse_target(origin);
        EPOS_FUZZ_CHECK(again.host == target.host);
        EPOS_FUZZ_CHECK(again.port == target.port);
        EPOS_FUZZ_CHECK(again.host_is_ip == target.host_is_ip);
        EPOS_FUZZ_CHECK(again.origin() == origin);
    } catch (const epos::Failure& failure) {
        EPOS_FUZZ_CHECK(failure.code() == "bad_url");
    }
    return 0;
}
