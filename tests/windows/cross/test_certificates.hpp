#pragma once

// Certificates for the Windows tests. mingw has no OpenSSL, so run-under-wine.sh makes them on
// the build machine with `openssl req` (a real, independent implementation) and hands them over
// as files: <dir>/<name>.der and <dir>/<name>.sha256 (openssl's own fingerprint, lowercase hex).
// The directory comes in through EPOS_WINDOWS_TEST_CERTS (wine passes the environment on).

#include <string>
#include <vector>

#include "store/trust_store.hpp"

namespace epos::testing {

struct TestCertificate {
    std::vector<unsigned char> der;
    std::string sha256;  // as openssl computed it: the oracle for the store's own hashing
};

TestCertificate load_test_certificate(const std::string& name);

// A store record for it, named as the host names its entries.
epos::store::CertificateRecord record_for(const TestCertificate& cert, const std::string& address);

}  // namespace epos::testing
