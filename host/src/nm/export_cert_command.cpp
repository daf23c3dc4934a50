#include "nm/commands.hpp"
#include "nm/request.hpp"
#include "ops/export_cert.hpp"
#include "ops/trust.hpp"
#include "wire/export_cert_json.hpp"

namespace epos::nm {
namespace {

// {"cmd": "export-cert", "url", "sha256"}: the extension exports what the person trusted, so the
// fingerprint is required here (the command line may leave it out).
class ExportCertCommand final : public Command {
  public:
    nlohmann::json run(const nlohmann::json& request, ops::Context& context) override {
        // Normalised here so that an empty string is bad_request, never "no check".
        const ops::ExportRequest exported{require_string(request, "url"),
                                          ops::normalise_sha256(require_string(request, "sha256"))};
        return wire::to_json(ops::export_cert(context, exported));
    }
};

}  // namespace

std::unique_ptr<Command> make_export_cert_command() {
    return std::make_unique<ExportCertCommand>();
}

}  // namespace epos::nm
