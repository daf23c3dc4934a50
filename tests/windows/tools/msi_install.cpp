// Installs an MSI with a property string read from a file, through MsiInstallProductW.
//
//   msi_install.exe PACKAGE.msi PROPERTIES.txt
//
// Why not `wine msiexec /i ... PROP="[""a""]"`: wine's msiexec.exe splits its command line
// itself and drops the doubled quotes that Windows' msiexec keeps (measured: the JSON arrived
// as [a]); msi.dll's own parser, used here, handles them as Windows does. So the test passes
// exactly the property string an admin would type, without any shell in between.
#include <windows.h>
// msi.h needs windows.h first.
#include <msi.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

int wmain(int argc, wchar_t** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: msi_install PACKAGE.msi PROPERTIES.txt\n");
        return 2;
    }
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read the properties file\n");
        return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string properties = text.str();
    while (!properties.empty() && (properties.back() == '\n' || properties.back() == '\r')) {
        properties.pop_back();
    }
    const int size = MultiByteToWideChar(CP_UTF8, 0, properties.data(),
                                         static_cast<int>(properties.size()), nullptr, 0);
    std::wstring wide(static_cast<size_t>(size), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, properties.data(), static_cast<int>(properties.size()),
                        wide.data(), size);
    MsiSetInternalUI(INSTALLUILEVEL_NONE, nullptr);
    const UINT result = MsiInstallProductW(argv[1], wide.c_str());
    std::printf("MsiInstallProduct: %u\n", result);
    return static_cast<int>(result);
}
