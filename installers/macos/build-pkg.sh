#!/bin/sh
# Builds epos-trust-<version>.pkg on macOS with pkgbuild/productbuild (Xcode command line tools).
# NOT RUN ANYWHERE YET: there is no macOS here. Written from Apple's pkgbuild(1)/productbuild(1)
# and the manifest paths of docs/admin.md; verify on a Mac before shipping.
# Usage: build-pkg.sh BUILD_DIR OUT_DIR   (BUILD_DIR: a macOS cmake build with epos-trust built)
set -eu
build=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^project(epos-trust VERSION \([0-9.]*\).*/\1/p' "$here/../../CMakeLists.txt")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

app="$root/Library/Application Support/epos-trust"
mkdir -p "$app"
cp "$build/host/epos-trust" "$app/"
cp "$build/host/pkcs11/libepos_trust_flush.so" "$app/" 2>/dev/null || true
# The manifests are written at install time by the host itself (postinstall), from the templates
# it was built with, so the paths and extension IDs are the ones of manifests/*.json.in.
pkgbuild --root "$root" --identifier org.epos-trust.host --version "$version" \
    --install-location / --scripts "$here/scripts" "$out/epos-trust-host.pkg"
productbuild --package "$out/epos-trust-host.pkg" "$out/epos-trust-$version.pkg"
# Sign and notarize with your Developer ID before distributing:
#   productsign --sign "Developer ID Installer: ..." in.pkg out.pkg; xcrun notarytool submit ...
