/*
 * NOT the epos-trust host. A stand-in that lets the MSI be built and its install/uninstall be
 * tested on Linux, where the real host cannot be cross-compiled (Debian has no mingw builds of
 * OpenSSL or Boost; docs/browser-behaviour.md §7). MSIs built with it are named "*-placeholder.msi"
 * and say so in their product name. The real epos-trust.exe is built on Windows with vcpkg
 * (installers/windows/README.md) and passed to build-msi.sh.
 *
 * Started by a browser, it answers the first native messaging frame with a clear error so the
 * extension shows "host error" rather than hanging; from a console it says what it is.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char kMessage[] =
    "This is a test build of the epos-trust installer with a placeholder instead of the host. "
    "Install a release build of epos-trust.";

int main(int argc, char** argv) {
    if (argc >= 2 && (strncmp(argv[1], "chrome-extension://", 19) == 0 || argc >= 3)) {
        char reply[512];
        const int length = snprintf(reply, sizeof reply,
                                    "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"host_"
                                    "placeholder\",\"message\":\"%s\"}}",
                                    kMessage);
        const uint32_t size = (uint32_t)length;
        fwrite(&size, sizeof size, 1, stdout); /* native byte order, as native messaging wants */
        fwrite(reply, 1, (size_t)length, stdout);
        fflush(stdout);
        return 1;
    }
    fprintf(stderr, "%s\n", kMessage);
    return 1;
}
