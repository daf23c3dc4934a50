#include "nm/launch.hpp"

#include <string_view>

#ifndef _WIN32
#include <unistd.h>
#endif

namespace epos::nm {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

int parent_pid() {
#ifdef _WIN32
    return 0;
#else
    return static_cast<int>(::getppid());
#endif
}

}  // namespace

std::optional<Caller> browser_launch(int argc, const char* const* argv) {
    if (argc < 2) {
        return std::nullopt;
    }
    const std::string_view first = argv[1];
    if (first.rfind("chrome-extension://", 0) == 0) {
        return Caller{Caller::Family::Chrome, std::string(first), parent_pid()};
    }
    if (argc >= 3 && ends_with(first, ".json")) {
        const std::string_view id = argv[2];
        if (!id.empty() && id.front() != '-') {
            return Caller{Caller::Family::Firefox, std::string(id), parent_pid()};
        }
    }
    return std::nullopt;
}

}  // namespace epos::nm
