#include "policy/policy.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/failure.hpp"
#include "wire/policy_json.hpp"

namespace epos::policy {
namespace {

namespace fs = std::filesystem;

std::string error_code(const std::string& text) {
    try {
        parse_policy(text);
    } catch (const Failure& failure) {
        return failure.code();
    }
    return "accepted";
}

TEST(Policy, DefaultsAreLocalNetworksWithConfirmation) {
    const Policy policy;
    EXPECT_TRUE(policy.allows(AddressClass::Loopback));
    EXPECT_TRUE(policy.allows(AddressClass::Private));
    EXPECT_TRUE(policy.allows(AddressClass::LinkLocal));
    EXPECT_TRUE(policy.allows(AddressClass::Ula));
    EXPECT_FALSE(policy.allows(AddressClass::Public));
    EXPECT_FALSE(policy.allows(AddressClass::Cgnat));
    EXPECT_TRUE(policy.installs_allowed);
    EXPECT_TRUE(policy.require_confirmation);
}

TEST(Policy, ParsesEverySetting) {
    const Policy policy = parse_policy(R"({
        "_comment": "shop 12",
        "allowed_networks": ["private"],
        "pinned_sha256": ["AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"],
        "installs_allowed": false,
        "require_confirmation": false,
        "windows_store": "local_machine_trusted_people"
    })");
    EXPECT_TRUE(policy.allows(AddressClass::Private));
    EXPECT_FALSE(policy.allows(AddressClass::Loopback));
    ASSERT_EQ(policy.pinned_sha256.size(), 1u);
    EXPECT_TRUE(
        policy.is_pinned("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
    EXPECT_FALSE(policy.installs_allowed);
    EXPECT_FALSE(policy.require_confirmation);
    EXPECT_EQ(policy.windows_store, "local_machine_trusted_people");
}

TEST(Policy, RefusesMalformedPolicies) {
    for (const char* text :
         {"", "[]", "{", R"({"allowed_networks": "private"})", R"({"allowed_networks": ["lan"]})",
          R"({"allowed_networks": [1]})", R"({"pinned_sha256": ["abc"]})",
          R"({"pinned_sha256": "ab"})", R"({"installs_allowed": "no"})",
          R"({"windows_store": "HKLM"})", R"({"allow_everything": true})"}) {
        EXPECT_EQ(error_code(text), "policy_invalid") << text;
    }
}

class PolicyFile : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("epos-policy-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        path_ = dir_ / "policy.json";
    }
    void TearDown() override { fs::remove_all(dir_); }
    void write(const std::string& text, mode_t mode) {
        std::ofstream(path_) << text;
        ::chmod(path_.c_str(), mode);
    }
    fs::path dir_, path_;
};

TEST_F(PolicyFile, MissingFileGivesDefaults) {
    const Policy policy = load_policy(path_);
    EXPECT_TRUE(policy.error.empty());
    EXPECT_EQ(policy.source, "defaults");
}

TEST_F(PolicyFile, MalformedFileFailsClosed) {
    write("{not json", 0644);
    const Policy policy = load_policy(path_, /*require_root_owned=*/false);
    EXPECT_FALSE(policy.error.empty());
    EXPECT_FALSE(wire::to_json(policy)["installs_allowed"].get<bool>());
}

TEST_F(PolicyFile, WorldWritableFileIsRefused) {
    write(R"({"allowed_networks": ["public"]})", 0666);
    const Policy policy = load_policy(path_);
    EXPECT_NE(policy.error.find("root"), std::string::npos) << policy.error;
    EXPECT_FALSE(policy.allows(AddressClass::Public));
}

TEST_F(PolicyFile, RootOwnedFileIsRead) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root to own the file";  // CI runs as root
    }
    write(R"({"installs_allowed": false})", 0644);
    const Policy policy = load_policy(path_);
    EXPECT_TRUE(policy.error.empty()) << policy.error;
    EXPECT_FALSE(policy.installs_allowed);
    EXPECT_EQ(policy.source, path_.string());
}

}  // namespace
}  // namespace epos::policy
