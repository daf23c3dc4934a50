#include "wire/relay_json.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::RelayResult& relayed) {
    return {{"status", relayed.status},
            {"status_text", relayed.status_text},
            {"content_type", relayed.content_type},
            {"body", relayed.body},
            {"sha256", relayed.sha256},
            {"elapsed_ms", relayed.elapsed_ms}};
}

}  // namespace epos::wire
