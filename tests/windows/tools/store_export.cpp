// Writes every certificate of a Windows system store as a DER file, so that a test can check
// the store without the host's code: the test hashes the files itself (wine 8's crypt32 has no
// CERT_SHA256_HASH_PROP_ID, docs/browser-behaviour.md §7).
//
//   store_export.exe CurrentUser|LocalMachine STORE_NAME OUT_DIR    prints the count
#include <windows.h>
// wincrypt.h needs windows.h first.
#include <wincrypt.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

int wmain(int argc, wchar_t** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: store_export CurrentUser|LocalMachine STORE_NAME OUT_DIR\n");
        return 2;
    }
    const std::wstring scope = argv[1];
    const DWORD location =
        scope == L"LocalMachine" ? CERT_SYSTEM_STORE_LOCAL_MACHINE : CERT_SYSTEM_STORE_CURRENT_USER;
    HCERTSTORE store =
        CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                      location | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG, argv[2]);
    if (store == nullptr) {
        std::printf("0\n");  // a store that does not exist holds nothing
        return 0;
    }
    int count = 0;
    for (PCCERT_CONTEXT cert = CertEnumCertificatesInStore(store, nullptr); cert != nullptr;
         cert = CertEnumCertificatesInStore(store, cert)) {
        const std::wstring file =
            std::wstring(argv[3]) + L"\\" + std::to_wstring(count++) + L".der";
        std::ofstream out(std::filesystem::path(file), std::ios::binary);
        out.write(reinterpret_cast<const char*>(cert->pbCertEncoded),
                  static_cast<std::streamsize>(cert->cbCertEncoded));
    }
    CertCloseStore(store, 0);
    std::printf("%d\n", count);
    return 0;
}
