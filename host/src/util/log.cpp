#include "util/log.hpp"

#include "util/utc_time.hpp"

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

void write(const char* level, std::string_view message) {
    const std::lock_guard guard(lock());
    std::cerr << "epos-trust: " << message << "\n";
    if (file().is_open()) {
        file() << utc_timestamp_now() << " [" << EPOS_GETPID() << "] " << level << " " << message
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
