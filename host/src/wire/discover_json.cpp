#include "wire/discover_json.hpp"

namespace epos::wire {
namespace {

nlohmann::json port_json(const ops::DiscoveredPort& port) {
    if (port.error) {
        return {{"url", port.url},
                {"error", {{"code", port.error->code}, {"message", port.error->message}}}};
    }
    return {{"url", port.url},
            {"is_epos", port.is_epos},
            {"sha256", port.sha256},
            {"subject", port.subject},
            {"verdict", port.verdict.to_json()},
            {"findings", port.findings},
            {"trusted_here", port.trusted_here}};
}

nlohmann::json ports_json(const std::vector<ops::DiscoveredPort>& ports) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& port : ports) {
        out.push_back(port_json(port));
    }
    return out;
}

}  // namespace

nlohmann::json to_json(const ops::DiscoverReport& report) {
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& skip : report.skipped) {
        skipped.push_back({{"url", skip.url}, {"reason", skip.reason}});
    }
    return {{"targets", report.targets},
            {"open", report.open},
            {"printers", ports_json(report.printers)},
            {"others", ports_json(report.others)},
            {"skipped", skipped},
            {"elapsed_ms", report.elapsed_ms}};
}

}  // namespace epos::wire
