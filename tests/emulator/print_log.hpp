#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace epos::emulator {

// One accepted print, as end-to-end tests want to see it ("the emulator received the print").
struct PrintRecord {
    std::string time;  // UTC, ISO 8601 with milliseconds
    std::string devid;
    std::size_t body_bytes = 0;
    std::vector<std::string> elements;  // image, text, cut, pulse, ...
    std::string origin;                 // the page's Origin header, "" when none
    std::string content_type;           // text/plain from Odoo, text/xml from Epson's SDK
};

nlohmann::json to_json(const PrintRecord& record);

// Every accepted print, kept in memory for GET /emulator/prints and appended as a JSON line to
// --print-log (flushed per line, so a test may read it while the emulator runs). Thread-safe:
// cpp-httplib serves requests from a thread pool.
class PrintLog {
  public:
    explicit PrintLog(std::optional<std::string> path);

    void record(PrintRecord record);
    nlohmann::json all() const;  // a JSON array, oldest first

  private:
    std::optional<std::string> path_;
    mutable std::mutex mutex_;
    std::vector<PrintRecord> records_;
};

// Now, for PrintRecord::time.
std::string utc_now_iso8601();

}  // namespace epos::emulator
