// register / unregister / doctor's manifest check on a fake home and a scratch root: the real
// files a browser reads, written and removed by the real code.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <map>

#include <gtest/gtest.h>

#include "nss_test_helpers.hpp"
#include "ops/doctor.hpp"
#include "ops/register.hpp"
#include "util/failure.hpp"
#include "wire/register_json.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;
using ops::ManifestKind;
using ops::Scope;

std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

nlohmann::json read_json(const fs::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

struct Scratch {
    TempDir home;
    TempDir root;
    fs::path host;
    fs::path module;

    Scratch() {
        fs::create_directories(root / "opt/epos");
        host = root / "opt/epos/epos-trust";
        module = root / "opt/epos/libepos_trust_flush.so";
        write_file(host, "#!/bin/sh\n");
        write_file(module, "");
        fs::permissions(host, fs::perms::owner_all);
    }

    ops::RegisterRequest request(Scope scope) const {
        ops::RegisterRequest request;
        request.scope = scope;
        request.env.home = home.path();
        request.env.root = root.path();
        request.host = host;
        request.flush_module = module;
        return request;
    }
};

TEST(ManifestLocations, LinuxUserPaths) {
    ops::InstallEnvironment env;
    env.home = "/home/ana";
    std::vector<std::string> files;
    for (const auto& location : ops::manifest_locations(Scope::User, env)) {
        files.push_back(location.file.string());
    }
    EXPECT_EQ(files,
              (std::vector<std::string>{
                  "/home/ana/.config/google-chrome/NativeMessagingHosts/com.epos_trust.host.json",
                  "/home/ana/.config/chromium/NativeMessagingHosts/com.epos_trust.host.json",
                  "/home/ana/.config/microsoft-edge/NativeMessagingHosts/com.epos_trust.host.json",
                  "/home/ana/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/"
                  "com.epos_trust.host.json",
                  "/home/ana/.mozilla/native-messaging-hosts/com.epos_trust.host.json",
                  "/home/ana/.mozilla/pkcs11-modules/epos_trust_flush.json",
              }));
    env.xdg_config_home = "/cfg";
    EXPECT_EQ(ops::manifest_locations(Scope::User, env)[1].file,
              "/cfg/chromium/NativeMessagingHosts/com.epos_trust.host.json");
}

TEST(ManifestLocations, LinuxSystemPathsOfIssue5BelowRoot) {
    ops::InstallEnvironment env;
    env.root = "/stage";
    std::vector<std::string> files;
    for (const auto& location : ops::manifest_locations(Scope::System, env)) {
        files.push_back(location.file.string());
    }
    EXPECT_EQ(files, (std::vector<std::string>{
                         "/stage/etc/opt/chrome/native-messaging-hosts/com.epos_trust.host.json",
                         "/stage/etc/chromium/native-messaging-hosts/com.epos_trust.host.json",
                         "/stage/etc/opt/edge/native-messaging-hosts/com.epos_trust.host.json",
                         "/stage/usr/lib/mozilla/native-messaging-hosts/com.epos_trust.host.json",
                         "/stage/usr/lib/mozilla/pkcs11-modules/epos_trust_flush.json",
                     }));
}

TEST(RenderManifest, UsesTheExtensionIdsOfManifestsFolderAndEscapesThePath) {
    const ops::ManifestLocation chrome{"chromium", "Chromium", ManifestKind::Host, false, "/x", {}};
    const auto doc = nlohmann::json::parse(ops::render_manifest(chrome, "/opt/a \"b\"/epos-trust"));
    EXPECT_EQ(doc["name"], "com.epos_trust.host");
    EXPECT_EQ(doc["path"], "/opt/a \"b\"/epos-trust");
    EXPECT_EQ(doc["type"], "stdio");
    EXPECT_EQ(doc["allowed_origins"],
              nlohmann::json::array({"chrome-extension://fmkalmmejklplbcdonjleedaiepfagbf/"}));

    const ops::ManifestLocation firefox{"firefox", "Firefox", ManifestKind::Host, true, "/x", {}};
    EXPECT_EQ(nlohmann::json::parse(ops::render_manifest(firefox, "/h"))["allowed_extensions"],
              nlohmann::json::array({"epos-trust@epos-trust.org"}));
    const ops::ManifestLocation module{"firefox", "Firefox", ManifestKind::Pkcs11Module,
                                       true,      "/x",      {}};
    const auto pkcs11 = nlohmann::json::parse(ops::render_manifest(module, "/m.so"));
    EXPECT_EQ(pkcs11["type"], "pkcs11");
    EXPECT_EQ(pkcs11["name"], "epos_trust_flush");
    EXPECT_EQ(pkcs11["path"], "/m.so");

    try {
        ops::render_manifest(chrome, "relative/epos-trust");
        FAIL() << "a relative host path was accepted";
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "bad_host_path");
    }
}

TEST(Register, UserScopeWritesEveryBrowserThenIsIdempotent) {
    Scratch s;
    const auto first = wire::to_json(ops::register_host(s.request(Scope::User)));
    ASSERT_EQ(first["manifests"].size(), 6u);
    for (const auto& m : first["manifests"]) {
        EXPECT_EQ(m["action"], "written") << m;
        const auto doc = read_json(m["path"].get<std::string>());
        EXPECT_EQ(doc["path"], m["kind"] == "host" ? s.host.string() : s.module.string());
        struct stat info {};
        ASSERT_EQ(::stat(m["path"].get<std::string>().c_str(), &info), 0);
        EXPECT_EQ(info.st_mode & 0777, 0644u);
    }
    EXPECT_TRUE(fs::exists(s.home / ".mozilla/pkcs11-modules/epos_trust_flush.json"));
    // Nothing per-machine was touched.
    EXPECT_FALSE(fs::exists(s.root / "etc"));

    const auto second = wire::to_json(ops::register_host(s.request(Scope::User)));
    for (const auto& m : second["manifests"]) {
        EXPECT_EQ(m["action"], "unchanged");
    }
}

TEST(Register, OnlyTheBrowsersAskedForAndUnknownOnesRefused) {
    Scratch s;
    auto request = s.request(Scope::User);
    request.browsers = {"chromium"};
    const auto result = wire::to_json(ops::register_host(request));
    ASSERT_EQ(result["manifests"].size(), 1u);
    EXPECT_FALSE(fs::exists(s.home / ".config/google-chrome"));
    request.browsers = {"netscape"};
    try {
        ops::register_host(request);
        FAIL();
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "unknown_browser");
    }
}

TEST(Register, RefusesAMissingHostAndWritesNothing) {
    Scratch s;
    auto request = s.request(Scope::User);
    request.host = s.root / "nowhere/epos-trust";
    try {
        ops::register_host(request);
        FAIL();
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "bad_host_path");
    }
    EXPECT_TRUE(fs::is_empty(s.home.path()));
}

TEST(Register, WithoutAFlushModuleSkipsThePkcs11ManifestAndSaysSo) {
    Scratch s;
    auto request = s.request(Scope::User);
    request.flush_module.reset();
    const auto result = wire::to_json(ops::register_host(request));
    EXPECT_EQ(result["manifests"].size(), 5u);
    EXPECT_EQ(result["notes"].size(), 1u);
    EXPECT_FALSE(fs::exists(s.home / ".mozilla/pkcs11-modules"));
}

TEST(Register, UnwritableFolderGivesAClearError) {
    Scratch s;
    // A file where the folder should be: fails for root as well as for a user.
    write_file(s.home / ".config", "not a folder");
    try {
        ops::register_host(s.request(Scope::User));
        FAIL();
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "manifest_unwritable");
        EXPECT_NE(std::string(failure.what()).find("google-chrome"), std::string::npos);
    }
    EXPECT_EQ(read_file(s.home / ".config"), "not a folder");
}

TEST(Unregister, RemovesOnlyOurFilesAndTheFoldersItCreated) {
    Scratch s;
    fs::create_directories(s.home / ".config/chromium");
    write_file(s.home / ".config/chromium/Local State", "{}");
    ops::register_host(s.request(Scope::User));
    // Another product's file at Edge's path, under our name: not ours to delete.
    const auto edge =
        s.home / ".config/microsoft-edge/NativeMessagingHosts/com.epos_trust.host.json";
    write_file(edge, R"({"name":"com.other.host","path":"/x"})");

    const auto result = wire::to_json(ops::unregister_host(s.request(Scope::User)));
    std::map<std::string, std::string> actions;
    for (const auto& m : result["manifests"]) {
        actions[m["browser"].get<std::string>() + "/" + m["kind"].get<std::string>()] = m["action"];
    }
    EXPECT_EQ(actions["chromium/host"], "removed");
    EXPECT_EQ(actions["firefox/pkcs11"], "removed");
    EXPECT_EQ(actions["edge/host"], "kept_foreign");
    EXPECT_TRUE(fs::exists(edge));
    // The browser's own folder stays; the folders register made are gone.
    EXPECT_TRUE(fs::exists(s.home / ".config/chromium/Local State"));
    EXPECT_FALSE(fs::exists(s.home / ".config/chromium/NativeMessagingHosts"));
    EXPECT_FALSE(fs::exists(s.home / ".config/google-chrome"));
    EXPECT_FALSE(fs::exists(s.home / ".config/BraveSoftware"));
    EXPECT_FALSE(fs::exists(s.home / ".mozilla"));

    const auto again = wire::to_json(ops::unregister_host(s.request(Scope::User)));
    EXPECT_EQ(again["manifests"][0]["action"], "absent");
}

TEST(Register, SystemScopeBelowRootThenUnregisterLeavesOnlyFolders) {
    Scratch s;
    const auto result = wire::to_json(ops::register_host(s.request(Scope::System)));
    ASSERT_EQ(result["manifests"].size(), 5u);
    EXPECT_TRUE(fs::exists(s.root / "usr/lib/mozilla/pkcs11-modules/epos_trust_flush.json"));
    EXPECT_FALSE(fs::exists(s.home / ".config"));
    ops::unregister_host(s.request(Scope::System));
    for (const auto& entry : fs::recursive_directory_iterator(s.root / "etc")) {
        EXPECT_TRUE(entry.is_directory()) << entry.path();
    }
}

TEST(CheckManifest, EveryState) {
    Scratch s;
    ops::RegisterRequest request = s.request(Scope::User);
    request.browsers = {"chromium"};
    ops::register_host(request);
    const auto location = ops::requested_locations(request).front();
    EXPECT_EQ(ops::check_manifest(location, s.host).state, "ok");

    const auto other = s.root / "opt/epos/other-epos-trust";
    write_file(other, "");
    EXPECT_EQ(ops::check_manifest(location, other).state, "points_elsewhere");

    fs::rename(s.host, s.root / "moved");
    EXPECT_EQ(ops::check_manifest(location, s.host).state, "broken");

    auto doc = read_json(location.file);
    doc["allowed_origins"] = {"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"};
    write_file(location.file, doc.dump());
    EXPECT_EQ(ops::check_manifest(location, s.host).state, "wrong_extension");

    write_file(location.file, "{ not json");
    EXPECT_EQ(ops::check_manifest(location, s.host).state, "invalid");

    fs::remove(location.file);
    EXPECT_EQ(ops::check_manifest(location, s.host).state, "missing");
}

}  // namespace
}  // namespace epos::testing
