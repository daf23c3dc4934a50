// Native messaging host registration in the registry, for real under wine: the keys each
// browser reads (docs/browser-behaviour.md §4), written and removed through RegistryKey and
// checked with the raw Win32 API as an independent oracle.

#include <gtest/gtest.h>

#include <windows.h>

#include <optional>
#include <string>

#include "store/windows/native_messaging_registry.hpp"
#include "store/windows/registry_key.hpp"
#include "util/failure.hpp"

namespace {

using namespace epos::store::windows;

constexpr const char* kHost = "org.epos_trust.test_host";

// The default value of HKxx\path as raw Win32 reads it, nullopt if absent.
std::optional<std::wstring> raw_default_value(RegistryHive hive, const std::wstring& path) {
    wchar_t buffer[1024];
    DWORD size = sizeof buffer;
    const LSTATUS status = RegGetValueW(
        hive == RegistryHive::CurrentUser ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE, path.c_str(),
        nullptr, RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY, nullptr, buffer, &size);
    if (status != ERROR_SUCCESS) {
        return std::nullopt;
    }
    return std::wstring(buffer);
}

bool raw_key_exists(RegistryHive hive, const std::wstring& path) {
    HKEY key = nullptr;
    const LSTATUS status =
        RegOpenKeyExW(hive == RegistryHive::CurrentUser ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE,
                      path.c_str(), 0, KEY_READ | KEY_WOW64_64KEY, &key);
    if (status == ERROR_SUCCESS) {
        RegCloseKey(key);
    }
    return status == ERROR_SUCCESS;
}

std::wstring wide(const std::string& ascii) {
    return std::wstring(ascii.begin(), ascii.end());
}

TEST(NativeMessagingRegistry, KeyPathsAreTheOnesEachBrowserReads) {
    EXPECT_EQ(native_messaging_key_path(Browser::Chrome, kHost),
              "Software\\Google\\Chrome\\NativeMessagingHosts\\org.epos_trust.test_host");
    EXPECT_EQ(native_messaging_key_path(Browser::Chromium, kHost),
              "Software\\Chromium\\NativeMessagingHosts\\org.epos_trust.test_host");
    EXPECT_EQ(native_messaging_key_path(Browser::Edge, kHost),
              "Software\\Microsoft\\Edge\\NativeMessagingHosts\\org.epos_trust.test_host");
    EXPECT_EQ(native_messaging_key_path(Browser::Firefox, kHost),
              "Software\\Mozilla\\NativeMessagingHosts\\org.epos_trust.test_host");
    EXPECT_EQ(firefox_pkcs11_module_key_path("epos_trust_flush"),
              "Software\\Mozilla\\PKCS11Modules\\epos_trust_flush");
    EXPECT_EQ(all_browsers().size(), 4u);  // Brave reads Chrome's key
}

TEST(NativeMessagingRegistry, RefusesNamesChromeWouldRefuse) {
    for (const std::string bad :
         {"", "Org.Epos", ".org", "org.", "org..epos", "org\\epos", "org/epos", "org epos"}) {
        try {
            native_messaging_key_path(Browser::Chrome, bad);
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const epos::Failure& failure) {
            EXPECT_EQ(failure.code(), "bad_host_name") << bad;
        }
    }
}

class RegistrationTest : public ::testing::TestWithParam<RegistryHive> {
  protected:
    void TearDown() override {
        for (const auto browser : all_browsers()) {
            remove_registration({GetParam(), native_messaging_key_path(browser, kHost)});
        }
        RegistryKey::remove_tree(GetParam(),
                                 "Software\\Google\\Chrome\\NativeMessagingHosts\\other.host");
    }
};

TEST_P(RegistrationTest, WritesReadsAndRemovesForEveryBrowser) {
    const RegistryHive hive = GetParam();
    for (const auto browser : all_browsers()) {
        SCOPED_TRACE(to_string(browser));
        const ManifestRegistration registration{hive, native_messaging_key_path(browser, kHost)};
        const std::string manifest =
            std::string("C:\\Program Files\\epos-trust\\") + to_string(browser) + ".json";

        EXPECT_EQ(read_registration(registration), std::nullopt);
        write_registration(registration, manifest);
        EXPECT_EQ(read_registration(registration), manifest);
        EXPECT_EQ(raw_default_value(hive, wide(registration.key_path)), wide(manifest));

        // Registering again (an upgrade moved the manifest) replaces the value.
        write_registration(registration, manifest + ".new");
        EXPECT_EQ(read_registration(registration), manifest + ".new");

        EXPECT_TRUE(remove_registration(registration));
        EXPECT_FALSE(raw_key_exists(hive, wide(registration.key_path)));
        EXPECT_EQ(read_registration(registration), std::nullopt);
        EXPECT_FALSE(remove_registration(registration));
    }
}

TEST_P(RegistrationTest, RemovingOursLeavesAnotherHostsKeyAlone) {
    const RegistryHive hive = GetParam();
    const ManifestRegistration ours{hive, native_messaging_key_path(Browser::Chrome, kHost)};
    const ManifestRegistration other{hive,
                                     native_messaging_key_path(Browser::Chrome, "other.host")};
    write_registration(other, "C:\\Other\\other.json");
    write_registration(ours, "C:\\Program Files\\epos-trust\\chrome.json");

    EXPECT_TRUE(remove_registration(ours));
    EXPECT_EQ(raw_default_value(hive, wide(other.key_path)), L"C:\\Other\\other.json");
    EXPECT_TRUE(raw_key_exists(hive, L"Software\\Google\\Chrome\\NativeMessagingHosts"));
}

TEST_P(RegistrationTest, RefusesARelativeManifestPathAndWritesNothing) {
    const ManifestRegistration registration{GetParam(),
                                            native_messaging_key_path(Browser::Firefox, kHost)};
    for (const std::string bad : {"epos-trust.json", "..\\x.json", "C:x.json", "/tmp/x.json", ""}) {
        try {
            write_registration(registration, bad);
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const epos::Failure& failure) {
            EXPECT_EQ(failure.code(), "bad_manifest_path");
        }
    }
    EXPECT_FALSE(raw_key_exists(GetParam(), wide(registration.key_path)));
}

TEST_P(RegistrationTest, KeepsNonAsciiPathsIntact) {
    const ManifestRegistration registration{GetParam(),
                                            native_messaging_key_path(Browser::Edge, kHost)};
    const std::string manifest = "C:\\Users\\J\xC3\xBCrgen\\AppData\\Local\\\xE5\x8D\xB0\\m.json";
    write_registration(registration, manifest);
    EXPECT_EQ(read_registration(registration), manifest);
    EXPECT_EQ(raw_default_value(GetParam(), wide(registration.key_path)),
              L"C:\\Users\\J\u00fcrgen\\AppData\\Local\\\u5370\\m.json");
}

INSTANTIATE_TEST_SUITE_P(BothHives, RegistrationTest,
                         ::testing::Values(RegistryHive::CurrentUser, RegistryHive::LocalMachine),
                         [](const auto& param_info) {
                             return std::string(to_string(param_info.param));
                         });

TEST(RegistryKeyTest, ValuesOfEachTypeAndTheirErrors) {
    const std::string path = "Software\\epos-trust-tests\\values";
    RegistryKey::remove_tree(RegistryHive::CurrentUser, "Software\\epos-trust-tests");
    EXPECT_EQ(RegistryKey::open(RegistryHive::CurrentUser, path), std::nullopt);
    {
        auto key = RegistryKey::create(RegistryHive::CurrentUser, path);
        key.set_string_value("Networks", "192.168.0.0/16");
        key.set_dword_value("InstallsForbidden", 1);
        RegistryKey::create(RegistryHive::CurrentUser, path + "\\PinnedFingerprints");
    }
    const auto key = RegistryKey::open(RegistryHive::CurrentUser, path);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->path(), "HKCU\\" + path);
    EXPECT_EQ(key->string_value("Networks"), "192.168.0.0/16");
    EXPECT_EQ(key->dword_value("InstallsForbidden"), 1u);
    EXPECT_EQ(key->string_value("Missing"), std::nullopt);
    EXPECT_EQ(key->dword_value("Missing"), std::nullopt);
    EXPECT_THROW(key->dword_value("Networks"), epos::Failure);
    EXPECT_THROW(key->string_value("InstallsForbidden"), epos::Failure);
    EXPECT_EQ(key->value_names().size(), 2u);
    EXPECT_EQ(key->subkey_names(), std::vector<std::string>{"PinnedFingerprints"});

    EXPECT_TRUE(RegistryKey::remove_tree(RegistryHive::CurrentUser, "Software\\epos-trust-tests"));
    EXPECT_FALSE(raw_key_exists(RegistryHive::CurrentUser, L"Software\\epos-trust-tests"));
    EXPECT_TRUE(raw_key_exists(RegistryHive::CurrentUser, L"Software"));
}

TEST(RegistryKeyTest, RefusesToDeleteAHiveRoot) {
    EXPECT_THROW(RegistryKey::remove_tree(RegistryHive::CurrentUser, "Software\\"), epos::Failure);
    EXPECT_TRUE(raw_key_exists(RegistryHive::CurrentUser, L"Software"));
}

}  // namespace
