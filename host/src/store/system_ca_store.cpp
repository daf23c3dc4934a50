#include "store/system_ca_store.hpp"

#include <fstream>
#include <system_error>

#include "store/run_command.hpp"

#ifndef _WIN32
#include <unistd.h>
#endif

namespace epos::store {
namespace fs = std::filesystem;
namespace {

const fs::path kDebianDir = "/usr/local/share/ca-certificates";
const fs::path kFedoraDir = "/etc/pki/ca-trust/source/anchors";

bool running_as_root() {
#ifndef _WIN32
    return ::geteuid() == 0;
#else
    return false;
#endif
}

}  // namespace

std::string der_to_pem(const std::vector<unsigned char>& der) {
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string base64;
    for (std::size_t i = 0; i < der.size(); i += 3) {
        const unsigned a = der[i];
        const unsigned b = i + 1 < der.size() ? der[i + 1] : 0;
        const unsigned c = i + 2 < der.size() ? der[i + 2] : 0;
        const unsigned triple = (a << 16) | (b << 8) | c;
        base64 += alphabet[(triple >> 18) & 63];
        base64 += alphabet[(triple >> 12) & 63];
        base64 += i + 1 < der.size() ? alphabet[(triple >> 6) & 63] : '=';
        base64 += i + 2 < der.size() ? alphabet[triple & 63] : '=';
    }
    std::string pem = "-----BEGIN CERTIFICATE-----\n";
    for (std::size_t i = 0; i < base64.size(); i += 64) {
        pem += base64.substr(i, 64) + "\n";
    }
    return pem + "-----END CERTIFICATE-----\n";
}

std::vector<std::string> system_ca_refresh_command(const fs::path& dir) {
    if (dir == kFedoraDir) {
        return {"update-ca-trust", "extract"};
    }
    return {"update-ca-certificates"};
}

StoreSpec system_ca_spec() {
    std::error_code ec;
    const fs::path dir = !fs::is_directory(kDebianDir, ec) && fs::is_directory(kFedoraDir, ec)
                             ? kFedoraDir
                             : kDebianDir;
    return {StoreKind::System, dir, TrustKind::Anchor, Caller::Family::Cli,
            "Linux system CA store (not read by Chrome or Firefox)"};
}

SystemCaStore::SystemCaStore(fs::path dir, std::string label, std::vector<std::string> refresh)
    : dir_(std::move(dir)),
      label_(std::move(label)),
      refresh_(refresh.empty() ? system_ca_refresh_command(dir_) : std::move(refresh)) {}

fs::path SystemCaStore::file_for(const std::string& sha256) const {
    return dir_ / ("epos-trust-" + sha256.substr(0, 16) + ".crt");
}

bool SystemCaStore::contains(const std::string& sha256) {
    std::error_code ec;
    return fs::is_regular_file(file_for(sha256), ec);
}

StoreResult SystemCaStore::refresh() {
    const CommandResult result = run_command(refresh_);
    if (result.status != 0) {
        return {Outcome::Failed, "store_failed",
                refresh_.front() + " failed: " + result.output.substr(0, 400)};
    }
    return {Outcome::Installed, {}, {}};
}

StoreResult SystemCaStore::add(const CertificateRecord& cert) {
    if (!running_as_root()) {
        return {Outcome::Failed, "store_needs_root",
                "Only root can change the system CA store; run with sudo."};
    }
    std::error_code ec;
    if (!fs::is_directory(dir_, ec)) {
        return {Outcome::Failed, "store_missing", dir_.string() + " does not exist here."};
    }
    const fs::path file = file_for(cert.sha256);
    if (fs::is_regular_file(file, ec)) {
        return {Outcome::AlreadyPresent, {}, {}};
    }
    fs::path temp = file;
    temp += ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << der_to_pem(cert.der);
        if (!out.flush()) {
            fs::remove(temp, ec);
            return {Outcome::Failed, "store_read_only", "cannot write " + file.string()};
        }
    }
    fs::rename(temp, file, ec);
    if (ec) {
        fs::remove(temp, ec);
        return {Outcome::Failed, "store_read_only", "cannot write " + file.string()};
    }
    StoreResult result = refresh();
    if (result.outcome == Outcome::Failed) {
        fs::remove(file, ec);  // never leave a file the bundle does not reflect
    }
    return result;
}

StoreResult SystemCaStore::remove(const std::string& sha256) {
    if (!running_as_root()) {
        return {Outcome::Failed, "store_needs_root",
                "Only root can change the system CA store; run with sudo."};
    }
    const fs::path file = file_for(sha256);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        return {Outcome::NotPresent, {}, {}};
    }
    if (!fs::remove(file, ec)) {
        return {Outcome::Failed, "store_read_only", "cannot remove " + file.string()};
    }
    StoreResult result = refresh();
    if (result.outcome != Outcome::Failed) {
        result.outcome = Outcome::Removed;
    }
    return result;
}

}  // namespace epos::store
