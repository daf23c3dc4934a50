#include "store/nickname.hpp"

namespace epos::store {

std::string make_nickname(const std::string& address, const std::string& sha256) {
    std::string safe;
    for (char c : address) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '-';
        safe += plain ? c : '_';
    }
    return kNicknamePrefix + safe + " " + sha256.substr(0, 8);
}

bool is_own_nickname(const std::string& nickname) {
    return nickname.rfind(kNicknamePrefix, 0) == 0;
}

}  // namespace epos::store
