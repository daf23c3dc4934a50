#!/bin/sh
# Cross-compiles the real epos-trust.exe: the Windows dependencies from Debian source packages
# (scripts/windows-deps.sh, a cache outside the repository: minutes from nothing, seconds when
# present), then the same host sources as Linux with the windows-mingw settings
# (cmake/toolchain-mingw-w64.cmake, -Werror). Prints the .exe's path on its last line.
#
#   build-host.sh SOURCE_DIR WORK_DIR
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)

started=$(date +%s)
deps=$("$src/scripts/windows-deps.sh" | tail -n 1)
deps_done=$(date +%s)
launcher=""
if command -v ccache >/dev/null 2>&1; then launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"; fi
if [ ! -f "$work/build/CMakeCache.txt" ] || ! grep -q "^EPOS_WINDOWS_DEPS:.*=$deps\$" "$work/build/CMakeCache.txt"; then
    rm -rf "$work/build"
    # shellcheck disable=SC2086
    cmake -S "$src" -B "$work/build" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-mingw-w64.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DEPOS_WINDOWS_DEPS="$deps" -DEPOS_BUILD_TESTS=OFF \
        -DEPOS_WERROR=ON $launcher >"$work/configure.log" 2>&1 ||
        { cat "$work/configure.log" >&2; exit 1; }
fi
cmake --build "$work/build" -j2 --target epos-trust >"$work/build.log" 2>&1 ||
    { grep -E 'error|Error' "$work/build.log" | head -n 40 >&2; tail -n 20 "$work/build.log" >&2; exit 1; }
exe="$work/build/host/epos-trust.exe"
[ -f "$exe" ] || { echo "FAIL: no $exe" >&2; exit 1; }
echo "build-host: dependencies $((deps_done - started)) s, host $(( $(date +%s) - deps_done )) s" >&2
echo "$exe"
