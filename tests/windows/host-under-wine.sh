#!/bin/sh
# The real epos-trust.exe under wine, as browsers start it (host_under_wine.test.mjs): builds it
# (build-host.sh: the Windows dependencies from Debian sources, cached outside the repo), the
# test tools (a launcher that finds hosts as Chrome and Firefox do, a store exporter), a
# WINEPREFIX of this run's own, then runs the node suite against the emulator on 127.0.0.25.
#
#   host-under-wine.sh SOURCE_DIR WORK_DIR EMULATOR_BIN
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
emulator=$3

. "$src/tests/windows/wine-env.sh"
epos_require_tools cmake node x86_64-w64-mingw32-g++-posix

exe=$("$src/tests/windows/build-host.sh" "$src" "$work/host" | tail -n 1)
tools="$work/tools"
mkdir -p "$tools"
for tool in nm_launcher store_export; do
    x86_64-w64-mingw32-g++-posix -std=c++20 -O2 -static -municode -Wall -Wextra -Werror \
        -o "$tools/$tool.exe" "$src/tests/windows/tools/$tool.cpp" -lcrypt32 -ladvapi32
done

# A fresh prefix per run: the stores and keys a previous run left must not make this one pass.
rm -rf "$work/prefix"
epos_wine_prefix "$work/prefix"
epos_wine_services

status=0
EPOS_WIN_HOST_EXE="$exe" EPOS_WIN_TOOLS="$tools" EPOS_WIN_WORK="$work" EPOS_EMULATOR_BIN="$emulator" \
    node --test --test-reporter=spec "$src/tests/windows/host_under_wine.test.mjs" || status=$?
"$EPOS_WINESERVER" -k 2>/dev/null || true
exit $status
