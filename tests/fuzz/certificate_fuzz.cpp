// Fuzz target: certificate analysis, the code that reads what an untrusted server presents.
// The bytes go through Certificate::parse (DER, or PEM when they start with "-----BEGIN") and,
// as text, through from_pem; whatever parses is judged for a few hosts and serialised the way
// an inspect reply is.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cert/certificate.hpp"
#include "cert/findings.hpp"
#include "fuzz_check.hpp"
#include "util/failure.hpp"
#include "wire/cert_json.hpp"

namespace {

void analyse(const epos::cert::Certificate& cert) {
    EPOS_FUZZ_CHECK(cert.sha256().size() == 64);
    EPOS_FUZZ_CHECK(cert.sha1().size() == 40);
    EPOS_FUZZ_CHECK(cert.sha256_grouped().size() == 95);
    EPOS_FUZZ_CHECK(cert.version() >= 1 && cert.version() <= 3);
    // What inspect sends: must serialise (replacing bytes that are not UTF-8, as dispatch does).
    const std::string json =
        epos::wire::to_json(cert).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    EPOS_FUZZ_CHECK(!json.empty());

    // A certificate must parse again from its own PEM to the same fingerprint.
    const auto again = epos::cert::Certificate::from_pem(cert.pem());
    EPOS_FUZZ_CHECK(again.sha256() == cert.sha256());

    for (const char* host : {"127.0.0.25", "[::1]", "printer.lan", "fe80::1%eth0"}) {
        epos::cert::Context context;
        context.host = host;
        context.tls_version = 0x0303;
        context.answered_as_epos = true;
        const auto judgement = epos::cert::judge(cert, context);
        (void)judgement.findings_json().dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
        (void)judgement.verdict.to_json().dump();
        // docs/browser-behaviour.md §5: an anchor store must never get a v1 or CA:TRUE certificate.
        if (epos::cert::unsafe_as_anchor(cert)) {
            EPOS_FUZZ_CHECK(judgement.verdict.firefox != epos::cert::Usability::Usable);
            EPOS_FUZZ_CHECK(judgement.verdict.apple != epos::cert::Usability::Usable);
        }
        (void)epos::cert::san_matches(cert, host);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const unsigned char> bytes(data, size);
    try {
        analyse(epos::cert::Certificate::parse(bytes));
    } catch (const epos::Failure& failure) {
        EPOS_FUZZ_CHECK(failure.code() == "bad_certificate");
    }
    try {
        analyse(epos::cert::Certificate::from_pem(
            std::string_view(reinterpret_cast<const char*>(data), size)));
    } catch (const epos::Failure& failure) {
        EPOS_FUZZ_CHECK(failure.code() == "bad_certificate");
    }
    return 0;
}
