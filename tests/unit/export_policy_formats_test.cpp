// export-policy's documents, read back by the parsers that will consume them (the host's own
// policy parser; JSON for the browsers' files), and the shipped templates of installers/policy.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ops/export_policy.hpp"
#include "policy/policy.hpp"
#include "util/failure.hpp"

namespace epos::testing {
namespace {

namespace fs = std::filesystem;

const std::string kPinA = std::string(64, 'a');
const std::string kPinB = "5f1b525b2e8a96d60c1e369c4f659ed24c2a0b7dfb8c1909e67b4d2c922641a3";
constexpr const char* kChromeId = "fmkalmmejklplbcdonjleedaiepfagbf";
constexpr const char* kFirefoxId = "epos-trust@epos-trust.org";

ops::ExportSet two_printers() {
    ops::ExportSet set;
    set.printers = {{"https://192.168.1.25", kPinA}, {"https://192.168.1.26", kPinB}};
    set.networks = {"private", "link_local"};
    return set;
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    EXPECT_TRUE(in) << file;
    return {std::istreambuf_iterator<char>(in), {}};
}

fs::path policy_templates() {
    return fs::path(__FILE__).parent_path().parent_path().parent_path() / "installers" / "policy";
}

TEST(ExportPolicy, HostFormatIsAcceptedByTheHostsOwnParser) {
    const auto policy = policy::parse_policy(ops::render_export(two_printers(), "host"));
    EXPECT_EQ(policy.pinned_sha256, (std::vector<std::string>{kPinA, kPinB}));
    EXPECT_TRUE(policy.allows(AddressClass::Private));
    EXPECT_FALSE(policy.allows(AddressClass::Loopback));
    EXPECT_TRUE(policy.is_pinned(kPinB));
}

TEST(ExportPolicy, ChromeAndFirefoxDocumentsCarryTheManagedSettings) {
    const auto chrome = nlohmann::json::parse(ops::render_export(two_printers(), "chrome"));
    const auto& c = chrome["3rdparty"]["extensions"][kChromeId];
    EXPECT_EQ(c["pinnedFingerprints"], nlohmann::json({kPinA, kPinB}));
    EXPECT_EQ(c["networks"], nlohmann::json({"private", "link_local"}));
    const auto firefox = nlohmann::json::parse(ops::render_export(two_printers(), "firefox"));
    EXPECT_EQ(firefox["policies"]["3rdparty"]["Extensions"][kFirefoxId]["pinnedFingerprints"],
              nlohmann::json({kPinA, kPinB}));
}

TEST(ExportPolicy, MacosAndRegNameEveryPinForEveryBrowser) {
    const auto plist = ops::render_export(two_printers(), "macos");
    const auto count = [](const std::string& text, const std::string& what) {
        size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
            ++n;
        }
        return n;
    };
    EXPECT_EQ(count(plist, "<string>" + kPinB + "</string>"), 3u);  // Chrome, Edge, Firefox
    EXPECT_EQ(count(plist, "<dict>"), count(plist, "</dict>"));
    const auto reg = ops::render_export(two_printers(), "reg");
    EXPECT_EQ(reg.rfind("Windows Registry Editor Version 5.00", 0), 0u);
    EXPECT_EQ(count(reg, kPinA), 4u);  // the host's list, Chrome, Edge, Firefox
    EXPECT_NE(reg.find(R"("pinnedFingerprints"="[\")" + kPinA), std::string::npos);
}

// The host's machine policy as policy/windows/machine_policy.cpp reads it (the wine test
// windows_host_under_wine imports this file and asks the host), each list replaced on import.
TEST(ExportPolicy, RegCarriesTheHostsOwnMachinePolicyLists) {
    const auto reg = ops::render_export(two_printers(), "reg");
    const std::string key = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\epos-trust\\";
    EXPECT_NE(reg.find("[-" + key + "pinned_sha256]\n[" + key + "pinned_sha256]\n\"1\"=\"" + kPinA +
                       "\"\n\"2\"=\"" + kPinB + "\"\n"),
              std::string::npos)
        << reg;
    EXPECT_NE(reg.find("[-" + key + "allowed_networks]\n[" + key +
                       "allowed_networks]\n\"1\"=\"private\"\n\"2\"=\"link_local\"\n"),
              std::string::npos)
        << reg;
    // Nothing else of the host's key: the administrator's other settings stay.
    EXPECT_EQ(reg.find("[" + key.substr(0, key.size() - 2) + "]"), std::string::npos);
}

TEST(ExportPolicy, UnknownFormatRefused) {
    try {
        ops::render_export(two_printers(), "gpo");
        FAIL();
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "bad_request");
    }
}

TEST(ExportPolicy, JournalPrintersOncePerFingerprint) {
    const auto dir = fs::temp_directory_path() / ("epos-export-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    store::Journal journal(dir / "journal.json");
    journal.update([](std::vector<store::JournalEntry>& entries) {
        entries.push_back({kPinA,
                           "nss:/a",
                           "nss",
                           "/a",
                           "trusted_peer",
                           "n",
                           "192.168.1.25",
                           "https://192.168.1.25",
                           "2025-01-01T00:00:00Z",
                           {},
                           ""});
        entries.push_back({kPinA,
                           "nss:/b",
                           "nss",
                           "/b",
                           "anchor",
                           "n",
                           "192.168.1.25",
                           "https://192.168.1.25",
                           "2025-01-01T00:00:00Z",
                           {},
                           ""});
        entries.push_back({kPinB,
                           "nss:/a",
                           "nss",
                           "/a",
                           "trusted_peer",
                           "n",
                           "192.168.1.26",
                           "https://192.168.1.26",
                           "2025-01-01T00:00:00Z",
                           {},
                           ""});
        return true;
    });
    ops::Context context;
    const auto set = ops::printers_from_journal(context, journal);
    ASSERT_EQ(set.printers.size(), 2u);
    EXPECT_EQ(set.printers[1].sha256, kPinB);
    // The default networks, as far as the extension's schema knows them.
    EXPECT_EQ(set.networks, (std::vector<std::string>{"loopback", "private", "link_local", "ula"}));
    fs::remove_all(dir);
}

TEST(PolicyTemplates, HostExampleParsesAndPinsItsFingerprint) {
    const auto policy =
        policy::parse_policy(read_file(policy_templates() / "epos-trust/policy.json"));
    EXPECT_TRUE(policy.is_pinned(kPinB));
    EXPECT_TRUE(policy.installs_allowed);
}

TEST(PolicyTemplates, BrowserTemplatesNameTheExtensionIdsAndOnlySchemaKeys) {
    const auto schema = nlohmann::json::parse(read_file(
        policy_templates().parent_path().parent_path() / "extension/src/managed_schema.json"));
    const auto check = [&](const nlohmann::json& settings) {
        ASSERT_TRUE(settings.is_object());
        for (const auto& [key, value] : settings.items()) {
            EXPECT_TRUE(schema["properties"].contains(key)) << key;
        }
    };
    const auto chrome =
        nlohmann::json::parse(read_file(policy_templates() / "linux/chrome-managed-policy.json"));
    check(chrome["3rdparty"]["extensions"][kChromeId]);
    EXPECT_EQ(chrome["ExtensionInstallForcelist"][0].get<std::string>().rfind(kChromeId, 0), 0u);
    const auto firefox =
        nlohmann::json::parse(read_file(policy_templates() / "firefox/policies.json"));
    check(firefox["policies"]["3rdparty"]["Extensions"][kFirefoxId]);
    EXPECT_EQ(firefox["policies"]["ExtensionSettings"][kFirefoxId]["installation_mode"],
              "force_installed");
}

}  // namespace
}  // namespace epos::testing
