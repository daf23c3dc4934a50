#include "store/windows/registry_key.hpp"

#include <string>
#include <utility>
#include <vector>

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include "store/windows/windows_text.hpp"
#include "util/failure.hpp"

namespace epos::store::windows {

namespace {

constexpr REGSAM kView = KEY_WOW64_64KEY;

HKEY root_of(RegistryHive hive) {
    return hive == RegistryHive::CurrentUser ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE;
}

HKEY as_hkey(void* handle) {
    return static_cast<HKEY>(handle);
}

std::string full_path(RegistryHive hive, const std::string& path) {
    return std::string(to_string(hive)) + "\\" + path;
}

[[noreturn]] void fail(LSTATUS status, const std::string& action, const std::string& where) {
    const auto code = static_cast<std::uint32_t>(status);
    if (status == ERROR_ACCESS_DENIED) {
        throw Failure{kRegistryAccessDenied,
                      "Windows denied " + action + " " + where +
                          " (the machine-wide keys need an administrator): " + error_text(code)};
    }
    throw Failure{kRegistryFailed,
                  "Windows could not " + action + " " + where + ": " + error_text(code)};
}

// RegEnumValueW and RegEnumKeyExW walk a key the same way (index until ERROR_NO_MORE_ITEMS, the
// name's length in and out); `limit` is the registry's limit for that kind of name (16383
// characters for a value, 255 for a key, plus the terminator).
template <typename Enumerate>
std::vector<std::string> enumerate_names(HKEY key, DWORD limit, const char* action,
                                         const std::string& where, Enumerate enumerate) {
    std::vector<std::string> names;
    std::wstring name(limit, L'\0');
    for (DWORD index = 0;; ++index) {
        DWORD length = limit;
        const LSTATUS status = enumerate(key, index, name.data(), &length);
        if (status == ERROR_NO_MORE_ITEMS) {
            break;
        }
        if (status != ERROR_SUCCESS) {
            fail(status, action, where);
        }
        names.push_back(narrow(std::wstring_view(name.data(), length)));
    }
    return names;
}

}  // namespace

const char* to_string(RegistryHive hive) {
    return hive == RegistryHive::CurrentUser ? "HKCU" : "HKLM";
}

std::optional<RegistryKey> RegistryKey::open(RegistryHive hive, const std::string& path,
                                             bool writable) {
    HKEY handle = nullptr;
    const REGSAM access = (writable ? KEY_READ | KEY_WRITE : KEY_READ) | kView;
    const LSTATUS status = RegOpenKeyExW(root_of(hive), widen(path).c_str(), 0, access, &handle);
    if (status == ERROR_FILE_NOT_FOUND || status == ERROR_PATH_NOT_FOUND) {
        return std::nullopt;
    }
    if (status != ERROR_SUCCESS) {
        fail(status, "opening", full_path(hive, path));
    }
    return RegistryKey{handle, full_path(hive, path)};
}

RegistryKey RegistryKey::create(RegistryHive hive, const std::string& path) {
    HKEY handle = nullptr;
    const LSTATUS status =
        RegCreateKeyExW(root_of(hive), widen(path).c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                        KEY_READ | KEY_WRITE | kView, nullptr, &handle, nullptr);
    if (status != ERROR_SUCCESS) {
        fail(status, "creating", full_path(hive, path));
    }
    return RegistryKey{handle, full_path(hive, path)};
}

bool RegistryKey::remove_tree(RegistryHive hive, const std::string& path) {
    // Open the parent and delete the one named child below it: RegDeleteTreeW on the parent
    // handle respects the 64-bit view the parent was opened in.
    const auto slash = path.find_last_of('\\');
    const std::string parent_path = slash == std::string::npos ? "" : path.substr(0, slash);
    const std::string child = slash == std::string::npos ? path : path.substr(slash + 1);
    if (child.empty()) {
        throw Failure{kRegistryFailed, "Refusing to delete " + full_path(hive, path) + "."};
    }
    auto parent = open(hive, parent_path, true);
    if (!parent) {
        return false;
    }
    const LSTATUS status = RegDeleteTreeW(as_hkey(parent->handle_), widen(child).c_str());
    if (status == ERROR_FILE_NOT_FOUND || status == ERROR_PATH_NOT_FOUND) {
        return false;
    }
    if (status != ERROR_SUCCESS) {
        fail(status, "deleting", full_path(hive, path));
    }
    return true;
}

RegistryKey::RegistryKey(RegistryKey&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), path_(std::move(other.path_)) {}

RegistryKey& RegistryKey::operator=(RegistryKey&& other) noexcept {
    if (this != &other) {
        if (handle_ != nullptr) {
            RegCloseKey(as_hkey(handle_));
        }
        handle_ = std::exchange(other.handle_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

RegistryKey::~RegistryKey() {
    if (handle_ != nullptr) {
        RegCloseKey(as_hkey(handle_));
    }
}

std::optional<std::string> RegistryKey::string_value(const std::string& name) const {
    const std::wstring wide_name = widen(name);
    DWORD type = 0;
    DWORD size = 0;
    LSTATUS status =
        RegQueryValueExW(as_hkey(handle_), wide_name.c_str(), nullptr, &type, nullptr, &size);
    if (status == ERROR_FILE_NOT_FOUND) {
        return std::nullopt;
    }
    if (status != ERROR_SUCCESS) {
        fail(status, "reading", path_ + " \"" + name + "\"");
    }
    if (type != REG_SZ && type != REG_EXPAND_SZ) {
        throw Failure{kRegistryFailed, path_ + " \"" + name + "\" is not a text value."};
    }
    std::wstring value(size / sizeof(wchar_t) + 1, L'\0');
    size = static_cast<DWORD>(value.size() * sizeof(wchar_t));
    status = RegQueryValueExW(as_hkey(handle_), wide_name.c_str(), nullptr, &type,
                              reinterpret_cast<BYTE*>(value.data()), &size);
    if (status != ERROR_SUCCESS) {
        fail(status, "reading", path_ + " \"" + name + "\"");
    }
    // The stored string may or may not carry its terminating NUL.
    value.resize(size / sizeof(wchar_t));
    while (!value.empty() && value.back() == L'\0') {
        value.pop_back();
    }
    return narrow(value);
}

std::optional<std::uint32_t> RegistryKey::dword_value(const std::string& name) const {
    DWORD type = 0;
    DWORD data = 0;
    DWORD size = sizeof data;
    const LSTATUS status = RegQueryValueExW(as_hkey(handle_), widen(name).c_str(), nullptr, &type,
                                            reinterpret_cast<BYTE*>(&data), &size);
    if (status == ERROR_FILE_NOT_FOUND) {
        return std::nullopt;
    }
    if (status == ERROR_MORE_DATA || (status == ERROR_SUCCESS && type != REG_DWORD)) {
        throw Failure{kRegistryFailed, path_ + " \"" + name + "\" is not a DWORD value."};
    }
    if (status != ERROR_SUCCESS) {
        fail(status, "reading", path_ + " \"" + name + "\"");
    }
    return static_cast<std::uint32_t>(data);
}

std::vector<std::string> RegistryKey::value_names() const {
    return enumerate_names(as_hkey(handle_), 16384, "listing the values of", path_,
                           [](HKEY key, DWORD index, wchar_t* name, DWORD* length) {
                               return RegEnumValueW(key, index, name, length, nullptr, nullptr,
                                                    nullptr, nullptr);
                           });
}

std::vector<std::string> RegistryKey::subkey_names() const {
    return enumerate_names(as_hkey(handle_), 256, "listing the keys of", path_,
                           [](HKEY key, DWORD index, wchar_t* name, DWORD* length) {
                               return RegEnumKeyExW(key, index, name, length, nullptr, nullptr,
                                                    nullptr, nullptr);
                           });
}

void RegistryKey::set_string_value(const std::string& name, const std::string& value) {
    const std::wstring wide = widen(value);
    const auto size = static_cast<DWORD>((wide.size() + 1) * sizeof(wchar_t));
    const LSTATUS status = RegSetValueExW(as_hkey(handle_), widen(name).c_str(), 0, REG_SZ,
                                          reinterpret_cast<const BYTE*>(wide.c_str()), size);
    if (status != ERROR_SUCCESS) {
        fail(status, "writing", path_ + " \"" + name + "\"");
    }
}

void RegistryKey::set_dword_value(const std::string& name, std::uint32_t value) {
    const DWORD data = value;
    const LSTATUS status = RegSetValueExW(as_hkey(handle_), widen(name).c_str(), 0, REG_DWORD,
                                          reinterpret_cast<const BYTE*>(&data), sizeof data);
    if (status != ERROR_SUCCESS) {
        fail(status, "writing", path_ + " \"" + name + "\"");
    }
}

}  // namespace epos::store::windows
