#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace epos {

// The current time as ISO 8601 UTC ("2026-11-25T22:02:15Z"), as the journal and the log write it.
// Header-only so that the store layer's Windows cross build (tests/windows/cross) needs nothing
// more.
inline std::string utc_timestamp_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &now);
#else
    gmtime_r(&now, &utc);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace epos
