#include "wire/inspect_json.hpp"
#include "wire/cert_json.hpp"

#include "cert/names.hpp"
#include "net/target.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::InspectReport& report) {
    const auto& chain = report.chain;
    const auto& epos = report.epos;
    const auto& target = report.target;
    const auto& tls = report.tls;
    const auto& judgement = report.judgement;
    nlohmann::json chain_json = nlohmann::json::array();
    for (std::size_t i = 1; i < chain.size(); ++i) {
        chain_json.push_back(to_json(chain[i]));
    }
    nlohmann::json epos_json = {{"is_epos", epos.is_epos}};
    if (epos.is_epos) {
        epos_json["success"] = epos.success;
        epos_json["code"] = epos.code;
        epos_json["status"] = epos.status;
    } else {
        epos_json["error"] = epos.error;
    }
    nlohmann::json out = {
        {"target",
         {{"url", target.origin()},
          {"host", target.host},
          {"address", tls.endpoint.address},
          {"port", target.port},
          {"address_class", net::to_string(tls.endpoint.address_class)}}},
        {"tls", {{"version", tls.version_name}, {"cipher", tls.cipher}}},
        {"certificate", to_json(report.leaf())},
        {"chain", chain_json},
        {"epos", epos_json},
        {"findings", judgement.findings_json()},
        {"verdict", judgement.verdict.to_json()},
        {"trusted", {{"journal", report.journal_has_leaf}, {"stores", report.stores_with_leaf}}},
    };
    out["certificate"]["names"] = to_json(cert::certificate_names(report.leaf()));
    if (tls.chain_truncated) {
        out["chain_truncated"] = true;
    }
    return out;
}

}  // namespace epos::wire
