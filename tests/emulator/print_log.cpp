#include "print_log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

namespace epos::emulator {

nlohmann::json to_json(const PrintRecord& record) {
    return {{"time", record.time},        {"devid", record.devid},
            {"bytes", record.body_bytes}, {"elements", record.elements},
            {"origin", record.origin},    {"content_type", record.content_type}};
}

PrintLog::PrintLog(std::optional<std::string> path) : path_(std::move(path)) {}

void PrintLog::record(PrintRecord record) {
    std::lock_guard lock(mutex_);
    if (path_) {
        std::ofstream out(*path_, std::ios::app);
        out << to_json(record).dump() << '\n' << std::flush;
        if (!out) {
            std::cerr << "epos-emulator: cannot append to the print log " << *path_ << '\n';
        }
    }
    records_.push_back(std::move(record));
}

nlohmann::json PrintLog::all() const {
    std::lock_guard lock(mutex_);
    nlohmann::json array = nlohmann::json::array();
    for (const auto& record : records_) {
        array.push_back(to_json(record));
    }
    return array;
}

std::string utc_now_iso8601() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char seconds_text[32];
    std::strftime(seconds_text, sizeof seconds_text, "%Y-%m-%dT%H:%M:%S", &utc);
    char millis_text[8];
    std::snprintf(millis_text, sizeof millis_text, ".%03dZ", static_cast<int>(millis));
    return std::string(seconds_text) + millis_text;
}

}  // namespace epos::emulator
