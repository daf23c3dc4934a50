#pragma once

#include <string>
#include <vector>

#include "options.hpp"

namespace epos::emulator {

// The certificate (and key) the emulated printer presents, with what its Web Config page and the
// start-up JSON line show about it.
struct PrinterIdentity {
    std::string shape;  // the factory shape, or "file" for --cert/--key
    std::string cert_pem;
    std::string key_pem;
    std::vector<std::string> extra_chain_pem;  // sent after the leaf (huge-chain)
    std::string sha256;                        // lowercase hex of the leaf's DER
    std::string sha1;
    std::string subject;
    std::string issuer;
    std::string not_before;  // "2025-11-25 22:10:00 UTC"
    std::string not_after;
    std::size_t der_size = 0;
};

// Makes the certificate with the team's test certificate factory (tests/support/cert_factory.hpp)
// or loads --cert/--key, then applies what the mode needs (a 100-certificate chain, a ~1 MiB
// leaf). Throws std::runtime_error with a sentence on unreadable files or an unknown shape.
PrinterIdentity make_identity(const Options& options);

// The fields above that come from the certificate itself, read with OpenSSL.
void describe_certificate(PrinterIdentity& identity);

// How many certificates huge-chain presents, leaf included.
inline constexpr int kHugeChainLength = 100;
// The size huge-cert aims at ("a 1 MiB certificate").
inline constexpr std::size_t kHugeCertBytes = 1024 * 1024;

}  // namespace epos::emulator
