#include "wire/cert_json.hpp"

namespace epos::wire {

nlohmann::json to_json(const cert::Certificate& c) {
    nlohmann::json key = {{"type", c.key().type}, {"bits", c.key().bits}};
    if (!c.key().curve.empty()) {
        key["curve"] = c.key().curve;
    }
    return {
        {"sha256", c.sha256()},
        {"sha256_grouped", c.sha256_grouped()},
        {"sha1", c.sha1()},
        {"subject", c.subject()},
        {"issuer", c.issuer()},
        {"common_name", c.common_name()},
        {"serial", c.serial()},
        {"not_before", c.not_before_iso()},
        {"not_after", c.not_after_iso()},
        {"validity_days", c.validity_days()},
        {"san", {{"dns", c.san_dns()}, {"ip", c.san_ips()}}},
        {"version", c.version()},
        {"is_ca", c.is_ca()},
        {"basic_constraints", c.basic_constraints_text()},
        {"key_usage", c.key_usage()},
        {"extended_key_usage", c.extended_key_usage()},
        {"key", key},
        {"signature_algorithm", c.signature_algorithm()},
        {"self_signed", c.self_signed()},
        {"pem", c.pem()},
    };
}

nlohmann::json to_json(const std::vector<cert::CertificateName>& names) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& name : names) {
        out.push_back({{"type", cert::to_string(name.type)},
                       {"value", name.value},
                       {"scope", cert::to_string(name.scope)}});
    }
    return out;
}

}  // namespace epos::wire
