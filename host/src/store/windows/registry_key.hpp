#pragma once

// A registry key, the small part of the Win32 registry API epos-trust needs: the native
// messaging host keys of each browser (native_messaging_registry.hpp) and, for the policy
// layer, the machine policy under HKLM\Software\Policies. UTF-8 in and out; always the 64-bit
// registry view, so a 32-bit build would write where the 64-bit one does (Chrome and Firefox
// read both views, docs/browser-behaviour.md §4).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace epos::store::windows {

enum class RegistryHive { CurrentUser, LocalMachine };

const char* to_string(RegistryHive hive);  // "HKCU" / "HKLM"

// Stable Failure codes.
inline constexpr const char* kRegistryAccessDenied = "registry_access_denied";
inline constexpr const char* kRegistryFailed = "registry_failed";

class RegistryKey {
  public:
    // An existing key, or nullopt if there is none. Throws Failure (access denied, ...).
    static std::optional<RegistryKey> open(RegistryHive hive, const std::string& path,
                                           bool writable = false);
    // Opens the key for writing, creating it and any missing parent.
    static RegistryKey create(RegistryHive hive, const std::string& path);
    // Deletes the key and everything below it (nothing else); false if it did not exist.
    static bool remove_tree(RegistryHive hive, const std::string& path);

    RegistryKey(RegistryKey&& other) noexcept;
    RegistryKey& operator=(RegistryKey&& other) noexcept;
    RegistryKey(const RegistryKey&) = delete;
    RegistryKey& operator=(const RegistryKey&) = delete;
    ~RegistryKey();

    // Value names: "" is the key's default value (what native messaging uses).
    // nullopt when the value does not exist; Failure when it is not of that type.
    std::optional<std::string> string_value(const std::string& name) const;
    std::optional<std::uint32_t> dword_value(const std::string& name) const;
    std::vector<std::string> value_names() const;
    std::vector<std::string> subkey_names() const;

    void set_string_value(const std::string& name, const std::string& value);
    void set_dword_value(const std::string& name, std::uint32_t value);

    const std::string& path() const { return path_; }  // "HKLM\\Software\\..." for messages

  private:
    RegistryKey(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}

    void* handle_;  // HKEY, kept opaque so that this header does not pull in windows.h
    std::string path_;
};

}  // namespace epos::store::windows
