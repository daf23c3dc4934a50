#include "util/log.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>

#ifdef _WIN32
#include <process.h>
#define EPOS_GETPID _getpid
#else
#include <unistd.h>
#define EPOS_GETPID ::getpid
#endif

namespace epos::log {
namespace {

std::mutex& lock() {
    static std::mutex mutex;
    return mutex;
}

std::ofstream& file() {
    static std::ofstream stream;
    return stream;
}

std::string timestamp() {
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

void write(const char* level, std::string_view message) {
    const std::lock_guard guard(lock());
    std::cerr << "epos-trust: " << message << "\n";
    if (file().is_open()) {
        file() << timestamp() << " [" << EPOS_GETPID() << "] " << level << " " << message
               << std::endl;
    }
}

}  // namespace

void open_file(const std::string& path) {
    const std::lock_guard guard(lock());
    file().close();
    if (path.empty()) {
        return;
    }
    file().open(path, std::ios::app);
    if (!file().is_open()) {
        std::cerr << "epos-trust: cannot write the log file " << path << "\n";
    }
}

void open_file_from_environment() {
    if (const char* path = std::getenv("EPOS_TRUST_LOG"); path != nullptr && *path != '\0') {
        open_file(path);
    }
}

void info(std::string_view message) {
    write("info", message);
}

void error(std::string_view message) {
    write("error", message);
}

}  // namespace epos::log
