#!/bin/sh
# Builds the Windows-specific parts of epos-trust with mingw-w64 (tests/windows/cross) and runs
# their GoogleTest binary under wine, for real: crypt32 stores and registry keys of a
# WINEPREFIX that belongs to this run only.
#
#   run-under-wine.sh SOURCE_DIR WORK_DIR [gtest arguments...]
#
# Missing tools are a failure, not a skip: CI installs them (g++-mingw-w64-x86-64, wine64,
# openssl) and a test that silently does nothing proves nothing.
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 SOURCE_DIR WORK_DIR [gtest arguments...]" >&2
    exit 2
fi
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
shift 2

. "$src/tests/windows/wine-env.sh"
epos_require_tools cmake openssl x86_64-w64-mingw32-g++-posix

# 1. Cross build (incremental after the first run).
if [ ! -f "$work/build/CMakeCache.txt" ]; then
    cmake -S "$src/tests/windows/cross" -B "$work/build" \
        -DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-mingw-w64.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DEPOS_WERROR=ON >"$work/configure.log" 2>&1 ||
        { cat "$work/configure.log" >&2; exit 1; }
fi
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

# 2. Certificates, made by a real, independent implementation (mingw has no OpenSSL).
certs="$work/certs"
rm -rf "$certs"
mkdir -p "$certs"
make_cert() {  # name address
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
        -subj "/CN=$2" -addext "subjectAltName=IP:$2" -addext "basicConstraints=critical,CA:FALSE" \
        -keyout "$certs/$1.key" -outform DER -out "$certs/$1.der" 2>/dev/null
    openssl x509 -inform DER -in "$certs/$1.der" -noout -fingerprint -sha256 |
        sed 's/.*=//; s/://g' | tr 'A-F' 'a-f' >"$certs/$1.sha256"
}
make_cert good 127.0.0.1
make_cert other 127.0.0.2

# 3. A wine prefix of our own, then the tests.
epos_wine_prefix "$work/prefix"
export EPOS_WINDOWS_TEST_CERTS="$certs"
status=0
"$EPOS_WINE" "$work/build/epos_windows_tests.exe" "$@" || status=$?
"$EPOS_WINESERVER" -w
exit $status
