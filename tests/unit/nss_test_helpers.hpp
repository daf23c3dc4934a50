#pragma once

// Helpers for the trust store tests: throwaway folders, real NSS databases made by certutil
// (libnss3-tools, the test oracle: docs/browser-behaviour.md §5), and certificates from
// cert_factory.

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "cert_factory.hpp"
#include "store/nickname.hpp"
#include "store/trust_store.hpp"

namespace epos::testing {

// A fresh folder under /tmp, removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "epos-store-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

struct Shell {
    int status;
    std::string output;
};

// Runs a shell command line (test code only), stdout and stderr together.
inline Shell shell(const std::string& command) {
    Shell result{-1, {}};
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.output.append(buffer, n);
    }
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string quoted(const std::filesystem::path& path) {
    return "'" + path.string() + "'";
}

// An empty NSS database made the way Chromium and Firefox make theirs (no password).
inline void make_nss_database(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const Shell made = shell("certutil -N --empty-password -d sql:" + quoted(dir));
    ASSERT_EQ(made.status, 0) << made.output;
}

// certutil -L: nickname and trust of every certificate, as the oracle sees them.
inline std::string certutil_list(const std::filesystem::path& dir) {
    return shell("certutil -L -d sql:" + quoted(dir)).output;
}

// The trust flags certutil shows for a nickname ("P,,", "C,,"), "" when it is not there.
inline std::string certutil_trust(const std::filesystem::path& dir, const std::string& nickname) {
    const std::string list = certutil_list(dir);
    const auto at = list.find(nickname + " ");
    if (at == std::string::npos) {
        return {};
    }
    const auto line_end = list.find('\n', at);
    std::string line = list.substr(at + nickname.size(), line_end - at - nickname.size());
    line.erase(0, line.find_first_not_of(' '));
    line.erase(line.find_last_not_of(" \t") + 1);
    return line;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// certutil -A of a certificate under any nickname and trust: "someone else's" entry.
inline void certutil_add(const std::filesystem::path& dir, const GeneratedCert& cert,
                         const std::string& nickname, const std::string& trust) {
    const auto pem = dir.parent_path() / (nickname + ".pem");
    write_file(pem, cert.cert_pem);
    const Shell added = shell("certutil -A -d sql:" + quoted(dir) + " -n '" + nickname + "' -t '" +
                              trust + "' -a -i " + quoted(pem));
    ASSERT_EQ(added.status, 0) << added.output;
}

inline store::CertificateRecord record_of(const GeneratedCert& cert,
                                          const std::string& address = "127.0.0.1") {
    return {cert.der, cert.sha256, cert.sha1, store::make_nickname(address, cert.sha256)};
}

}  // namespace epos::testing
