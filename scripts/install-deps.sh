#!/usr/bin/env bash
# Installs everything epos-trust needs to build and test on Debian 12 / Ubuntu (as root, or with
# sudo). Idempotent: apt-get skips what is already there.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    exec sudo --preserve-env=CI "$0" "$@"
fi

packages=(
    # build
    build-essential cmake pkg-config clang-format git ca-certificates
    # host libraries (libcurl4-openssl-dev: the host's one HTTP client, ePOS probe and relay;
    # the OpenSSL flavour, whose SSL_CTX the host checks the printer's certificate in)
    nlohmann-json3-dev libssl-dev libcurl4-openssl-dev libboost-program-options-dev libnss3-dev
    # tests: GoogleTest, NSS's certutil as an oracle, the emulator's HTTP/TLS and XML libraries
    googletest libgtest-dev libgmock-dev libnss3-tools libcpp-httplib-dev libexpat1-dev openssl curl sqlite3
    # the no-op PKCS#11 module that flushes Firefox's trust cache (p11-kit's pkcs11.h)
    libp11-kit-dev
    # real browsers and a loopback-only network namespace for them (docs/browser-behaviour.md §1)
    chromium firefox-esr iproute2 util-linux procps
    # Windows backend: mingw-w64 cross build run under wine; MSI tools
    g++-mingw-w64-x86-64 wine wine64 wixl msitools
    # Linux packages and their checks
    dpkg-dev fakeroot rpm lintian file
    # fuzzing and sanitizers
    clang libclang-rt-14-dev
)

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

# Node.js 20+ runs the extension build, its checks and the browser tests. Debian 12 ships 18;
# keep a newer one where the machine already has it.
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    apt-get install -y -q --no-install-recommends nodejs npm
fi
