#include "test_certificates.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace epos::testing {

namespace {

std::string certificate_dir() {
    const char* dir = std::getenv("EPOS_WINDOWS_TEST_CERTS");
    if (dir == nullptr || *dir == '\0') {
        throw std::runtime_error(
            "EPOS_WINDOWS_TEST_CERTS is not set: run these tests through "
            "tests/windows/run-under-wine.sh");
    }
    return dir;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TestCertificate load_test_certificate(const std::string& name) {
    const std::string base = certificate_dir() + "/" + name;
    const std::string der = read_file(base + ".der");
    std::string sha256 = read_file(base + ".sha256");
    while (!sha256.empty() && (sha256.back() == '\n' || sha256.back() == '\r')) {
        sha256.pop_back();
    }
    if (der.empty() || sha256.size() != 64) {
        throw std::runtime_error("malformed test certificate " + base);
    }
    return TestCertificate{std::vector<unsigned char>(der.begin(), der.end()), sha256};
}

epos::store::CertificateRecord record_for(const TestCertificate& cert, const std::string& address) {
    return epos::store::CertificateRecord{
        cert.der, cert.sha256, {}, "epos-trust " + address + " " + cert.sha256.substr(0, 8)};
}

}  // namespace epos::testing
