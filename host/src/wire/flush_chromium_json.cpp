#include "wire/flush_chromium_json.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::FlushStarted& flush) {
    return {
        {"available", true}, {"state", flush.state}, {"effective_in_ms", flush.effective_in_ms}};
}

}  // namespace epos::wire
