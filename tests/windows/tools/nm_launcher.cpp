// Starts a native messaging host the way Chrome and Firefox do on Windows, and speaks framed
// native messaging to it (docs/browser-behaviour.md §4):
//   1. the registry key HKCU, then HKLM, Software\Google\Chrome\NativeMessagingHosts\<name>
//      (Chrome) or Software\Mozilla\NativeMessagingHosts\<name> (Firefox): its default value is
//      the manifest's path;
//   2. the manifest: "name" must be <name>, the caller must be in allowed_origins /
//      allowed_extensions, "path" is the host (relative = beside the manifest, Windows only);
//   3. the host started in its own folder with the browser's argv: Chrome
//      `host chrome-extension://<id>/ --parent-window=0`, Firefox `host <manifest> <id>`;
//   4. one process per message (Chrome's sendNativeMessage): the frame written, stdin closed,
//      every reply frame read until the host exits.
//
//   nm_launcher.exe chrome|firefox NAME EXTENSION_ID REQUESTS.jsonl   one message per line
//   nm_launcher.exe chrome|firefox NAME EXTENSION_ID --raw BYTES.bin  those bytes, unframed
//
// Prints one line per reply frame (its JSON), then "exit <code>" per process; a trailing
// partial frame prints "partial <bytes>". Exit code 3: the host could not be found or started,
// with the browser's reason on stderr.
#include <windows.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::wstring widen(const std::string& text) {
    const int size =
        MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring out(static_cast<size_t>(size), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
    return out;
}

std::string narrow(const std::wstring& text) {
    const int size = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                         nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<size_t>(size), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size,
                        nullptr, nullptr);
    return out;
}

[[noreturn]] void not_found(const std::string& why) {
    std::fprintf(stderr, "Specified native messaging host not found. (%s)\n", why.c_str());
    std::exit(3);
}

// The key's default value, from the 64-bit then the 32-bit view, as the browsers read both.
bool default_value(HKEY hive, const std::wstring& path, std::wstring& out) {
    for (REGSAM view : {KEY_WOW64_64KEY, KEY_WOW64_32KEY}) {
        HKEY key = nullptr;
        if (RegOpenKeyExW(hive, path.c_str(), 0, KEY_QUERY_VALUE | view, &key) != ERROR_SUCCESS) {
            continue;
        }
        DWORD type = 0;
        DWORD size = 0;
        LONG rc = RegQueryValueExW(key, nullptr, nullptr, &type, nullptr, &size);
        if (rc == ERROR_SUCCESS && type == REG_SZ && size > 0) {
            std::wstring value(size / sizeof(wchar_t), L'\0');
            rc = RegQueryValueExW(key, nullptr, nullptr, &type,
                                  reinterpret_cast<BYTE*>(value.data()), &size);
            RegCloseKey(key);
            if (rc == ERROR_SUCCESS) {
                while (!value.empty() && value.back() == L'\0') {
                    value.pop_back();
                }
                out = value;
                return true;
            }
            continue;
        }
        RegCloseKey(key);
    }
    return false;
}

// The JSON string value of "key" at the top of a small, trusted-enough manifest (a parse error
// is "not found", as for a browser).
bool json_string(const std::string& doc, const std::string& key, std::string& out) {
    const auto at = doc.find("\"" + key + "\"");
    if (at == std::string::npos) {
        return false;
    }
    auto i = doc.find(':', at + key.size() + 2);
    if (i == std::string::npos) {
        return false;
    }
    i = doc.find('"', i);
    if (i == std::string::npos) {
        return false;
    }
    out.clear();
    for (++i; i < doc.size(); ++i) {
        const char c = doc[i];
        if (c == '"') {
            return true;
        }
        if (c == '\\' && i + 1 < doc.size()) {
            const char e = doc[++i];
            out += e == 'n' ? '\n' : e == 't' ? '\t' : e;  // \\ \" \/ as themselves
        } else {
            out += c;
        }
    }
    return false;
}

// Whether the array value of "key" lists the quoted `item`.
bool json_array_has(const std::string& doc, const std::string& key, const std::string& item) {
    const auto at = doc.find("\"" + key + "\"");
    if (at == std::string::npos) {
        return false;
    }
    const auto open = doc.find('[', at);
    const auto close = doc.find(']', open);
    if (open == std::string::npos || close == std::string::npos) {
        return false;
    }
    return doc.substr(open, close - open).find("\"" + item + "\"") != std::string::npos;
}

struct Host {
    std::wstring exe;
    std::wstring manifest;
};

Host find_host(bool chrome, const std::string& name, const std::string& extension) {
    const std::wstring key =
        std::wstring(chrome ? L"Software\\Google\\Chrome" : L"Software\\Mozilla") +
        L"\\NativeMessagingHosts\\" + widen(name);
    Host host;
    if (!default_value(HKEY_CURRENT_USER, key, host.manifest) &&
        !default_value(HKEY_LOCAL_MACHINE, key, host.manifest)) {
        not_found("no registry key " + narrow(key));
    }
    std::ifstream in(std::filesystem::path(host.manifest), std::ios::binary);
    if (!in) {
        not_found("cannot read the manifest " + narrow(host.manifest));
    }
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    std::string manifest_name;
    std::string path;
    if (!json_string(doc, "name", manifest_name) || manifest_name != name) {
        not_found("the manifest's name is not " + name);
    }
    if (chrome ? !json_array_has(doc, "allowed_origins", "chrome-extension://" + extension + "/")
               : !json_array_has(doc, "allowed_extensions", extension)) {
        std::fprintf(stderr, "Access to the specified native messaging host is forbidden.\n");
        std::exit(3);
    }
    if (!json_string(doc, "path", path)) {
        not_found("the manifest has no path");
    }
    std::wstring exe = widen(path);
    const bool absolute = (exe.size() > 2 && exe[1] == L':') || exe.rfind(L"\\\\", 0) == 0;
    if (!absolute) {
        const auto slash = host.manifest.find_last_of(L"\\/");
        exe = host.manifest.substr(0, slash + 1) + exe;
    }
    host.exe = exe;
    return host;
}

std::wstring quoted(const std::wstring& arg) {
    return L"\"" + arg + L"\"";
}

// Runs the host once with `input` on its stdin, prints its reply frames; returns its exit code.
int run_once(const Host& host, bool chrome, const std::string& extension,
             const std::string& input) {
    SECURITY_ATTRIBUTES inherit{sizeof inherit, nullptr, TRUE};
    HANDLE child_in = nullptr;
    HANDLE to_child = nullptr;
    HANDLE from_child = nullptr;
    HANDLE child_out = nullptr;
    if (!CreatePipe(&child_in, &to_child, &inherit, 0) ||
        !CreatePipe(&from_child, &child_out, &inherit, 0)) {
        not_found("CreatePipe failed");
    }
    SetHandleInformation(to_child, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(from_child, HANDLE_FLAG_INHERIT, 0);

    std::wstring command = quoted(host.exe) + L" ";
    command += chrome ? L"chrome-extension://" + widen(extension) + L"/ --parent-window=0"
                      : quoted(host.manifest) + L" " + widen(extension);
    const std::wstring folder = host.exe.substr(0, host.exe.find_last_of(L"\\/"));
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = child_in;
    startup.hStdOutput = child_out;
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION process{};
    if (!CreateProcessW(host.exe.c_str(), command.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW,
                        nullptr, folder.c_str(), &startup, &process)) {
        not_found("CreateProcess failed: " + std::to_string(GetLastError()));
    }
    CloseHandle(child_in);
    CloseHandle(child_out);

    DWORD written = 0;
    WriteFile(to_child, input.data(), static_cast<DWORD>(input.size()), &written, nullptr);
    CloseHandle(to_child);  // EOF: what the browser does after a one-off message

    std::string output;
    char buffer[65536];
    DWORD read = 0;
    while (ReadFile(from_child, buffer, sizeof buffer, &read, nullptr) && read > 0) {
        output.append(buffer, read);
    }
    CloseHandle(from_child);
    WaitForSingleObject(process.hProcess, 60000);
    DWORD code = 1;
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    CloseHandle(process.hThread);

    std::size_t at = 0;
    while (output.size() - at >= 4) {
        std::uint32_t length = 0;
        std::memcpy(&length, output.data() + at, 4);
        if (output.size() - at - 4 < length) {
            break;
        }
        std::fwrite(output.data() + at + 4, 1, length, stdout);
        std::fputc('\n', stdout);
        at += 4 + length;
    }
    if (at != output.size()) {
        std::printf("partial %zu\n", output.size() - at);
    }
    std::printf("exit %lu\n", static_cast<unsigned long>(code));
    std::fflush(stdout);
    return static_cast<int>(code);
}

std::string frame(const std::string& json) {
    const auto length = static_cast<std::uint32_t>(json.size());
    std::string out(4, '\0');
    std::memcpy(out.data(), &length, 4);  // native byte order, as the browsers write it
    return out + json;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
    if (argc != 5 && argc != 6) {
        std::fprintf(stderr,
                     "usage: nm_launcher chrome|firefox NAME EXTENSION_ID (REQUESTS.jsonl | "
                     "--raw BYTES)\n");
        return 2;
    }
    const std::string browser = narrow(argv[1]);
    const bool chrome = browser == "chrome";
    if (!chrome && browser != "firefox") {
        std::fprintf(stderr, "browser must be chrome or firefox\n");
        return 2;
    }
    const std::string name = narrow(argv[2]);
    const std::string extension = narrow(argv[3]);
    const bool raw = argc == 6 && std::wstring(argv[4]) == L"--raw";
    const std::filesystem::path input_file(argv[raw ? 5 : 4]);
    std::ifstream in(input_file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read the input file\n");
        return 2;
    }
    const Host host = find_host(chrome, name, extension);
    std::fprintf(stderr, "host %s (manifest %s)\n", narrow(host.exe).c_str(),
                 narrow(host.manifest).c_str());
    if (raw) {
        std::stringstream bytes;
        bytes << in.rdbuf();
        run_once(host, chrome, extension, bytes.str());
        return 0;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (!line.empty()) {
            run_once(host, chrome, extension, frame(line));
        }
    }
    return 0;
}
