#include "store/files.hpp"

#include <windows.h>

#include <atomic>
#include <cstdlib>
#include <system_error>

namespace epos::store::files {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(DWORD error, const std::string& what) {
    throw std::system_error(static_cast<int>(error), std::system_category(), what);
}

// A file opened without FILE_SHARE_DELETE cannot be replaced by MoveFileExW, and while
// MoveFileExW replaces it an open fails with a sharing violation. Readers therefore open with
// every share mode, and both sides retry for a moment (a few ms per write) instead of failing.
bool transient_sharing_error(DWORD error) {
    return error == ERROR_SHARING_VIOLATION || error == ERROR_ACCESS_DENIED ||
           error == ERROR_LOCK_VIOLATION;
}

fs::path temporary_for(const fs::path& target) {
    static std::atomic<unsigned> counter{0};
    fs::path temp = target;
    temp += L".tmp" + std::to_wstring(GetCurrentProcessId()) + L"." + std::to_wstring(counter++);
    return temp;
}

HANDLE as_handle(std::intptr_t handle) {
    return reinterpret_cast<HANDLE>(handle);
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

fs::path user_state_folder() {
    if (const std::string local = env("LOCALAPPDATA"); !local.empty()) {
        return fs::path(local);
    }
    return fs::path(env("USERPROFILE")) / "AppData" / "Local";
}

ExclusiveLock::ExclusiveLock(const fs::path& path) {
    HANDLE handle = CreateFileW(path.wstring().c_str(), GENERIC_READ | GENERIC_WRITE,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        fail(GetLastError(), "cannot open the lock file " + path.string());
    }
    OVERLAPPED overlapped{};
    if (!LockFileEx(handle, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &overlapped)) {
        const DWORD error = GetLastError();
        CloseHandle(handle);
        fail(error, "cannot lock " + path.string());
    }
    handle_ = reinterpret_cast<std::intptr_t>(handle);
}

ExclusiveLock::~ExclusiveLock() {
    OVERLAPPED overlapped{};
    UnlockFileEx(as_handle(handle_), 0, MAXDWORD, MAXDWORD, &overlapped);
    CloseHandle(as_handle(handle_));
}

void replace_atomically(const fs::path& target, std::string_view bytes, Readers,
                        const std::function<void()>& before_rename) {
    const fs::path temp = temporary_for(target);
    HANDLE file = CreateFileW(temp.wstring().c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) {
        fail(GetLastError(), "cannot create " + temp.string());
    }
    DWORD written = 0;
    const bool ok =
        WriteFile(file, bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr) &&
        written == bytes.size() && FlushFileBuffers(file);
    const DWORD write_error = ok ? ERROR_SUCCESS : GetLastError();
    CloseHandle(file);
    if (!ok) {
        DeleteFileW(temp.wstring().c_str());
        fail(write_error != ERROR_SUCCESS ? write_error : ERROR_WRITE_FAULT,
             "cannot write " + temp.string());
    }
    if (before_rename) {
        before_rename();
    }
    DWORD error = ERROR_SUCCESS;
    for (int attempt = 0; attempt < 200; ++attempt) {
        if (MoveFileExW(temp.wstring().c_str(), target.wstring().c_str(),
                        MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) != 0) {
            return;
        }
        error = GetLastError();
        if (error != ERROR_SHARING_VIOLATION && error != ERROR_ACCESS_DENIED) {
            break;
        }
        Sleep(5);  // a reader has the file open for a moment (see read_whole)
    }
    DeleteFileW(temp.wstring().c_str());
    fail(error, "cannot replace " + target.string());
}

std::optional<std::string> read_whole(const fs::path& file) {
    for (int attempt = 0;; ++attempt) {
        HANDLE handle = CreateFileW(file.wstring().c_str(), GENERIC_READ,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
        if (handle == INVALID_HANDLE_VALUE) {
            const DWORD error = GetLastError();
            if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
                return std::nullopt;
            }
            if (transient_sharing_error(error) && attempt < 200) {
                Sleep(5);
                continue;
            }
            fail(error, "cannot read " + file.string());
        }
        std::string text;
        char buffer[65536];
        DWORD got = 0;
        bool ok = true;
        while ((ok = ReadFile(handle, buffer, sizeof buffer, &got, nullptr) != 0) && got > 0) {
            text.append(buffer, got);
        }
        const DWORD error = ok ? ERROR_SUCCESS : GetLastError();
        CloseHandle(handle);
        if (!ok) {
            fail(error, "cannot read " + file.string());
        }
        return text;
    }
}

}  // namespace epos::store::files
