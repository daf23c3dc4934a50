#ifndef _WIN32
#include <unistd.h>
#endif

#include "cli/cli_command.hpp"
#include "ops/register.hpp"
#include "wire/register_json.hpp"

namespace epos::cli {
namespace {

void add_register_options(po::options_description& options) {
    options.add_options()("system", po::bool_switch(),
                          "for every user of this computer (root; what the packages install)")(
        "browser", po::value<std::vector<std::string>>()->composing(),
        "only this browser: chrome, chromium, edge, brave, firefox (repeatable; default all)")(
        "root", po::value<std::string>(),
        "with --system: write below this folder instead of / (package staging, tests)")(
        "host-path", po::value<std::string>(),
        "the host the manifests name (default: this binary)")(
        "flush-module", po::value<std::string>(),
        "the Firefox trust-cache flush module (default: found beside this binary)");
}

ops::RegisterRequest request_from(const po::variables_map& args) {
    ops::RegisterRequest request;
    request.env = ops::InstallEnvironment::from_process();
    request.scope = args["system"].as<bool>() ? ops::Scope::System : ops::Scope::User;
    if (args.count("root")) {
        request.env.root = args["root"].as<std::string>();
    }
    if (args.count("browser")) {
        request.browsers = args["browser"].as<std::vector<std::string>>();
    }
    request.host = args.count("host-path")
                       ? std::filesystem::path(args["host-path"].as<std::string>())
                       : ops::this_executable();
    if (args.count("flush-module")) {
        request.flush_module = std::filesystem::path(args["flush-module"].as<std::string>());
    } else {
        request.flush_module = ops::flush_module_for(request.host);
    }
    return request;
}

void print_manifests(const std::vector<ops::ManifestChange>& manifests, Output& output) {
    for (const auto& manifest : manifests) {
        std::string action = manifest.action;
        action.resize(14, ' ');
        output.out << action << manifest.browser << " " << ops::to_string(manifest.kind) << "  "
                   << manifest.path.string() << "\n";
    }
}

void print(const ops::RegisterResult& result, Output& output) {
    if (output.json) {
        output.out << wire::to_json(result).dump(2) << "\n";
        return;
    }
    print_manifests(result.manifests, output);
    for (const auto& note : result.notes) {
        output.out << "note: " << note << "\n";
    }
}

void print(const ops::UnregisterResult& result, Output& output) {
    if (output.json) {
        output.out << wire::to_json(result).dump(2) << "\n";
        return;
    }
    print_manifests(result.manifests, output);
}

class RegisterCli final : public CliCommand {
  public:
    const char* name() const override { return "register"; }
    const char* summary() const override {
        return "install the native messaging manifests so the browsers can start epos-trust";
    }
    const char* usage() const override {
        return "register [--system [--root DIR]] [--browser NAME]... [--json]";
    }
    void add_options(po::options_description& options,
                     po::positional_options_description&) override {
        add_register_options(options);
    }
    int run(const po::variables_map& args, ops::Context&, Output& output) override {
        print(ops::register_host(request_from(args)), output);
#ifndef _WIN32
        if (!output.json && !args["system"].as<bool>() && ::geteuid() == 0) {
            output.err << "note: root without --system: these manifests serve only the browsers "
                          "run with this HOME; use --system for every user.\n";
        }
#endif
        return 0;
    }
};

class UnregisterCli final : public CliCommand {
  public:
    const char* name() const override { return "unregister"; }
    const char* summary() const override {
        return "remove epos-trust's native messaging manifests (never another product's)";
    }
    const char* usage() const override {
        return "unregister [--system [--root DIR]] [--browser NAME]... [--json]";
    }
    void add_options(po::options_description& options,
                     po::positional_options_description&) override {
        add_register_options(options);
    }
    int run(const po::variables_map& args, ops::Context&, Output& output) override {
        auto request = request_from(args);
        print(ops::unregister_host(request), output);
        return 0;
    }
};

}  // namespace

std::unique_ptr<CliCommand> make_register_cli() {
    return std::make_unique<RegisterCli>();
}

std::unique_ptr<CliCommand> make_unregister_cli() {
    return std::make_unique<UnregisterCli>();
}

}  // namespace epos::cli
