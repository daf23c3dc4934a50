#include <filesystem>
#include <fstream>

#include "cli/cli_command.hpp"
#include "ops/export_cert.hpp"
#include "util/failure.hpp"
#include "wire/export_cert_json.hpp"

namespace epos::cli {
namespace {

namespace fs = std::filesystem;

// Whole file or an error: a half-written profile would fail on the tablet with no reason given.
void write_file(const fs::path& path, const std::string& text) {
    const fs::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw Failure("export_unwritable", "Cannot write " + path.string() + ".");
        }
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        fs::remove(temporary, error);
        throw Failure("export_unwritable", "Cannot write " + path.string() + ".");
    }
}

class ExportCertCli final : public CliCommand {
  public:
    const char* name() const override { return "export-cert"; }
    const char* summary() const override {
        return "write a printer's certificate for iPads/iPhones (.mobileconfig) and Android (.crt)";
    }
    const char* usage() const override {
        return "export-cert https://HOST[:PORT] [--out DIR] [--sha256 FINGERPRINT] [--json]";
    }

    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override {
        options.add_options()("url", po::value<std::string>()->required(),
                              "the printer's https:// address")(
            "out", po::value<std::string>()->default_value("."),
            "the folder to write <stem>.mobileconfig and <stem>.crt into")(
            "sha256", po::value<std::string>(),
            "refuse unless the printer presents this fingerprint (epos-trust inspect shows it)");
        positional.add("url", 1);
    }

    int run(const po::variables_map& args, ops::Context& context, Output& output) override {
        const ops::ExportRequest request{
            args["url"].as<std::string>(),
            args.count("sha256") ? args["sha256"].as<std::string>() : std::string()};
        const fs::path dir = args["out"].as<std::string>();
        std::error_code error;
        if (!fs::is_directory(dir, error)) {
            throw Failure("export_unwritable", dir.string() + " is not a folder.");
        }
        const auto exported = ops::export_cert(context, request);
        const fs::path profile = dir / (exported.file_stem + ".mobileconfig");
        const fs::path crt = dir / (exported.file_stem + ".crt");
        write_file(profile, exported.mobileconfig);
        write_file(crt, exported.crt_pem);

        if (output.json) {
            auto json = wire::to_json(exported);
            json["files"] = {{"mobileconfig", profile.string()}, {"crt", crt.string()}};
            output.out << json.dump(2) << "\n";
            return 0;
        }
        auto& out = output.out;
        out << "Printer   " << exported.printer << "\n"
            << "SHA-256   " << exported.sha256 << "\n"
            << "Wrote     " << profile.string() << "  (iPad, iPhone)\n"
            << "          " << crt.string() << "  (Android)\n\n"
            << "Copy the file to the tablet (AirDrop, e-mail, a web page the tablet can open, or a "
               "USB cable), then:\n\n"
            << "iPad / iPhone (" << profile.filename().string() << "):\n"
            << "  1. Open the file; the tablet says \"Profile Downloaded\".\n"
            << "  2. Settings > General > VPN & Device Management (older versions: Profiles): tap "
               "the profile \"Receipt printer ...\", then Install, and enter the passcode.\n"
            << "  3. Settings > General > About > Certificate Trust Settings: switch ON full "
               "trust for the printer's certificate. Without this switch Safari still refuses "
               "it.\n"
            << "  4. Check the fingerprint the profile shows (More Details) against the one "
               "above.\n\n"
            << "Android (" << crt.filename().string() << "):\n"
            << "  1. Settings > Security > Encryption & credentials > Install a certificate > CA "
               "certificate (the names vary by maker; search the settings for \"CA "
               "certificate\").\n"
            << "  2. Confirm \"Install anyway\", pick the file, and check the fingerprint under "
               "Trusted credentials > User.\n"
            << "  Chrome on Android uses it after a restart of the browser.\n";
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_export_cert_cli() {
    return std::make_unique<ExportCertCli>();
}

}  // namespace epos::cli
