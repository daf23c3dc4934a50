#!/usr/bin/env bash
# Builds the static Windows (x86_64-w64-mingw32) dependencies of epos-trust.exe from Debian's
# SOURCE packages: OpenSSL, libcurl (with that OpenSSL) and Boost.Program_options (with the Boost
# headers of the same source package). Debian ships no mingw builds of them
# (docs/browser-behaviour.md §7).
#
#   scripts/windows-deps.sh            prints the prefix (include/, lib/) on its last stdout line
#
# The result lives in a cache folder outside the repository, one folder per key (source versions
# + the build recipe: this script's text and the cross compiler's version), and is reused when
# present: CI then spends seconds here instead of minutes.
#
#   EPOS_WIN_DEPS_CACHE  cache root (default /var/cache/epos-trust/win-deps)
#   EPOS_WIN_DEPS_JOBS   make -j (default 2)
#   EPOS_WIN_DEPS_OFFLINE=1  do not refresh the source index: use the versions it last listed
#
# Sources come through an apt configuration of our own under the cache root (a deb-src list, its
# own lists and cache folders): /etc/apt is never read for sources nor written.
set -euo pipefail

cache=${EPOS_WIN_DEPS_CACHE:-/var/cache/epos-trust/win-deps}
jobs=${EPOS_WIN_DEPS_JOBS:-2}
triplet=x86_64-w64-mingw32
log() { printf '%s windows-deps: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

for tool in apt-get apt-cache dpkg-source make perl tar xz sha256sum flock \
    "$triplet-gcc-posix" "$triplet-g++-posix" "$triplet-ar" "$triplet-ranlib"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool missing (scripts/install-deps.sh installs it)"
done
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

# One build at a time per cache (CTest may start two Windows tests at once).
exec 9>"$cache/.lock"
flock 9

# --- 1. our own apt configuration: deb-src only -------------------------------------------------
apt_dir="$cache/apt"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
: >"$apt_dir/sources.list"
. /etc/os-release
suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
cat >"$apt_dir/sources.list.d/epos-win-deps-src.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_opts=(
    -o "Dir::Etc::sourcelist=$apt_dir/sources.list"
    -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
    # The lists folder is ours, not _apt's: download as the caller.
    -o "APT::Sandbox::User=$(id -un)"
    -o "Acquire::Languages=none"
)
if [ "${EPOS_WIN_DEPS_OFFLINE:-0}" != 1 ]; then
    log "refreshing the deb-src index ($suite)"
    apt-get "${apt_opts[@]}" -q update >"$apt_dir/update.log" 2>&1 ||
        { cat "$apt_dir/update.log" >&2; die "apt-get update (deb-src) failed"; }
fi
src_version() {  # the version `apt-get source` would take: the highest listed
    apt-cache "${apt_opts[@]}" showsrc --only-source "$1" 2>/dev/null |
        sed -n 's/^Version: //p' | sort -V | tail -n 1
}
openssl_v=$(src_version openssl)
curl_v=$(src_version curl)
boost_v=$(src_version boost1.74)
[ -n "$openssl_v" ] && [ -n "$curl_v" ] && [ -n "$boost_v" ] ||
    die "no source versions (openssl '$openssl_v', curl '$curl_v', boost1.74 '$boost_v')"

# --- 2. the key -----------------------------------------------------------------------------------
# Comments and blank lines are not part of the recipe: rewording them rebuilds nothing.
recipe=$( { grep -v -E '^[[:space:]]*(#|$)' "$0"; "$triplet-g++-posix" --version | head -n 1; } |
    sha256sum | cut -c1-12)
boost_headers=$(dpkg-query -W -f='${Version}' libboost1.74-dev 2>/dev/null) ||
    die "libboost1.74-dev is not installed (its headers serve the Windows build)"
key="openssl-$openssl_v+curl-$curl_v+boost-$boost_v+headers-$boost_headers+$recipe"
key=$(printf '%s' "$key" | tr -c 'A-Za-z0-9.+_-' '_')
prefix="$cache/$key"
if [ -f "$prefix/.complete" ]; then
    log "cached: $prefix"
    echo "$prefix"
    exit 0
fi
log "building $key (from nothing: ~5 min on 2 cores)"
started=$(date +%s)

# --- 3. the sources -------------------------------------------------------------------------------
downloads="$cache/downloads"
mkdir -p "$downloads"
fetch() {  # package version
    if ! ls "$downloads/$1_${2#*:}.dsc" >/dev/null 2>&1; then
        log "apt-get source --download-only $1=$2"
        (cd "$downloads" && apt-get "${apt_opts[@]}" -q source --download-only "$1=$2" >&2) ||
            die "apt-get source $1=$2 failed"
    fi
}
fetch openssl "$openssl_v"
fetch curl "$curl_v"
fetch boost1.74 "$boost_v"

# An interrupted build resumes: each finished stage leaves a stamp in the prefix.
work="$prefix.work"
rm -rf "$work"
mkdir -p "$work" "$prefix/include" "$prefix/lib"
done_stage() { [ -f "$prefix/.stage-$1" ]; }
stage_done() { touch "$prefix/.stage-$1"; }
# Debian's patches applied, as for Debian's own builds.
unpack() {  # package version folder
    (cd "$work" && dpkg-source --no-check -x "$downloads/$1_${2#*:}.dsc" "$3" >/dev/null)
}

export CC="$triplet-gcc-posix" CXX="$triplet-g++-posix" AR="$triplet-ar" RANLIB="$triplet-ranlib"

# --- 4. OpenSSL: static, no modules/engines/DSO (nothing loaded from disk at run time) ------------
# OPENSSLDIR is baked in, and OpenSSL's Configure takes C:/... for a relative path: it becomes
# a folder below this prefix, which on Windows reads as \var\cache\... of the current drive, a
# path any user could create. Nothing is ever read from it: the host starts OpenSSL with
# OPENSSL_INIT_NO_LOAD_CONFIG on Windows (net/windows/tls_library.cpp), curl is built not to load
# the configuration either, engines, modules and DSO are compiled out and no CA path is used.
if ! done_stage openssl; then
log "OpenSSL $openssl_v"
unpack openssl "$openssl_v" openssl
(
    cd "$work/openssl"
    unset CC CXX AR RANLIB  # Configure derives them from --cross-compile-prefix
    ./Configure mingw64 --cross-compile-prefix="$triplet-" --prefix="$prefix" --libdir=lib \
        --openssldir=C:/Windows/epos-trust-no-openssldir \
        no-shared no-tests no-module no-engine no-dso no-legacy no-ui-console \
        CC=gcc-posix CXX=g++-posix >"$work/openssl-configure.log" 2>&1 ||
        { cat "$work/openssl-configure.log" >&2; exit 1; }
    make -j"$jobs" build_libs >"$work/openssl-build.log" 2>&1 || { tail -n 50 "$work/openssl-build.log" >&2; exit 1; }
    make install_dev >"$work/openssl-install.log" 2>&1 || { tail -n 50 "$work/openssl-install.log" >&2; exit 1; }
) || die "OpenSSL build failed"
stage_done openssl
fi

# --- 5. libcurl: static, OpenSSL only, nothing else optional --------------------------------------
if ! done_stage curl; then
log "libcurl $curl_v"
unpack curl "$curl_v" curl
(
    cd "$work/curl"
    # Static OpenSSL needs these Windows libraries at configure's link checks too.
    ./configure --host="$triplet" --prefix="$prefix" --disable-shared --enable-static \
        --with-openssl="$prefix" --disable-openssl-auto-load-config \
        --without-ca-bundle --without-ca-path --without-ca-fallback \
        --disable-ldap --disable-ldaps --without-libpsl --without-zlib --without-brotli \
        --without-zstd --without-libssh2 --without-nghttp2 --without-ngtcp2 --without-nghttp3 \
        --without-libidn2 --without-librtmp --without-winidn --disable-pthreads \
        --disable-manual --disable-docs --disable-dict --disable-gopher --disable-imap \
        --disable-mqtt --disable-pop3 --disable-rtsp --disable-smtp --disable-telnet \
        --disable-tftp --disable-smb --disable-ftp --disable-file --disable-ntlm \
        LIBS="-lws2_32 -lcrypt32 -lbcrypt -ladvapi32 -luser32" \
        >"$work/curl-configure.log" 2>&1 || { tail -n 40 "$work/curl-configure.log" >&2; exit 1; }
    make -j"$jobs" -C lib >"$work/curl-build.log" 2>&1 || { tail -n 50 "$work/curl-build.log" >&2; exit 1; }
    make -C lib install >"$work/curl-install.log" 2>&1 && make -C include install >>"$work/curl-install.log" 2>&1 ||
        { tail -n 50 "$work/curl-install.log" >&2; exit 1; }
) || die "libcurl build failed"
stage_done curl
fi

# --- 6. Boost: Program_options from the source package, headers from Debian's libboost1.74-dev -
# Debian's repack is modular (libs/<name>/include/boost/...): there is no single header tree in
# it. The headers of /usr/include/boost are the same 1.74 and header-only for mingw too; they are
# exposed through a link in the prefix, never all of /usr/include (glibc's headers would shadow
# mingw's). Only libs/program_options/src leaves the 60 MB tarball.
if ! done_stage boost; then
log "Boost $boost_v (program_options; headers of libboost$boost_headers)"
grep -q '#define BOOST_LIB_VERSION "1_74"' /usr/include/boost/version.hpp ||
    die "/usr/include/boost is not Boost 1.74 (install libboost1.74-dev)"
ln -sfn /usr/include/boost "$prefix/include/boost"
boost_tar=$(ls "$downloads"/boost1.74_*.orig.tar.* | head -n 1)
tar -C "$work" -xf "$boost_tar" --wildcards '*/libs/program_options/src/*'
boost_src=$(dirname "$(dirname "$(dirname "$(ls -d "$work"/*/libs/program_options/src)")")")
(
    cd "$boost_src/libs/program_options/src"
    for source in *.cpp; do
        "$CXX" -std=c++20 -O2 -DNDEBUG -DBOOST_PROGRAM_OPTIONS_NO_LIB -I"$prefix/include" \
            -c "$source" -o "$work/po_${source%.cpp}.o" &
        # $jobs at a time
        if [ "$(jobs -r | wc -l)" -ge "$jobs" ]; then wait -n; fi
    done
    wait
    for source in *.cpp; do [ -f "$work/po_${source%.cpp}.o" ] || exit 1; done
) || die "Boost.Program_options build failed"
"$AR" rcs "$prefix/lib/libboost_program_options.a" "$work"/po_*.o
stage_done boost
fi

# --- 7. done --------------------------------------------------------------------------------------
cat >"$prefix/versions.txt" <<EOF
openssl $openssl_v
curl $curl_v
boost1.74 $boost_v (headers: libboost1.74-dev $boost_headers)
compiler $("$triplet-g++-posix" --version | head -n 1)
recipe $recipe
EOF
rm -rf "$work" "$prefix/share" "$prefix/bin"
touch "$prefix/.complete"
log "built in $(( $(date +%s) - started )) s: $prefix"
echo "$prefix"
