#include "store/keychain_command.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace epos::store {
namespace {

constexpr const char* kSecurity = "/usr/bin/security";

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

}  // namespace

std::vector<std::string> keychain_add_command(const std::filesystem::path& keychain,
                                              const std::filesystem::path& pem_file) {
    return {kSecurity,         "add-trusted-cert", "-r", "trustRoot", "-p", "ssl", "-k",
            keychain.string(), pem_file.string()};
}

std::vector<std::string> keychain_delete_command(const std::filesystem::path& keychain,
                                                 const std::string& sha1) {
    return {kSecurity, "delete-certificate", "-Z", upper(sha1), "-t", keychain.string()};
}

std::vector<std::string> keychain_find_command(const std::filesystem::path& keychain) {
    return {kSecurity, "find-certificate", "-a", "-Z", keychain.string()};
}

std::string keychain_sha1_for(const std::string& output, const std::string& sha256) {
    const std::string wanted = upper(sha256);
    std::istringstream lines(output);
    std::string line;
    bool in_wanted_record = false;
    while (std::getline(lines, line)) {
        for (const std::string label : {"SHA-256 hash:", "SHA-1 hash:"}) {
            const auto at = line.find(label);
            if (at == std::string::npos) {
                continue;
            }
            std::string value = line.substr(at + label.size());
            value.erase(std::remove_if(value.begin(), value.end(),
                                       [](unsigned char c) { return std::isspace(c) != 0; }),
                        value.end());
            if (label == "SHA-256 hash:") {
                in_wanted_record = upper(value) == wanted;
            } else if (in_wanted_record) {
                std::transform(value.begin(), value.end(), value.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                return value;
            }
            break;
        }
    }
    return {};
}

}  // namespace epos::store
