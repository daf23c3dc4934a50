#include "wire/export_cert_json.hpp"

namespace epos::wire {

nlohmann::json to_json(const ops::ExportedCertificate& exported) {
    return {{"sha256", exported.sha256},
            {"file_stem", exported.file_stem},
            {"mobileconfig", exported.mobileconfig},
            {"crt_pem", exported.crt_pem},
            {"crt_der_base64", exported.crt_der_base64}};
}

}  // namespace epos::wire
