// Fuzz target: the ePOS-Print reply parser (net::parse_epos_response), which reads the body a
// server on the LAN sent after the TLS handshake: any server, not only a printer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "net/epos_probe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    const auto answer = epos::net::parse_epos_response(body);
    // Either an ePOS answer or a reason why not, never neither.
    EPOS_FUZZ_CHECK(answer.is_epos || !answer.error.empty());
    EPOS_FUZZ_CHECK(answer.code.size() <= body.size());
    EPOS_FUZZ_CHECK(answer.status.size() <= body.size());
    return 0;
}
