#!/bin/sh
# Builds the .deb (and .rpm) of a build folder with cpack in a scratch folder and checks them:
# every file the packages must install is there, the manifests name the packaged host and the
# extension's IDs, the dependencies are declared, lintian reports no error or warning.
# Usage: check-packages.sh BUILD_DIR
set -eu
build=$1
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d /tmp/epos-pkg-XXXXXX)
trap 'rm -rf "$scratch"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$scratch" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$scratch"/*.deb)
dpkg-deb -c "$deb" | awk '{ print $6 ($7 ? " " $7 " " $8 : "") }' >"$scratch/contents"

expect() { grep -qxF -- "$1" "$scratch/contents" || fail "$deb lacks $1"; }
chrome_manifest=/usr/share/epos-trust/native-messaging-hosts/chrome/com.epos_trust.host.json
expect "./usr/libexec/epos-trust/epos-trust"
expect "./usr/bin/epos-trust -> ../libexec/epos-trust/epos-trust"
expect "./usr/libexec/epos-trust/libepos_trust_flush.so"
expect ".$chrome_manifest"
for dir in /etc/opt/chrome /etc/chromium /etc/opt/edge; do
    expect ".$dir/native-messaging-hosts/com.epos_trust.host.json -> $chrome_manifest"
done
expect "./usr/lib/mozilla/native-messaging-hosts/com.epos_trust.host.json"
expect "./usr/lib/mozilla/pkcs11-modules/epos_trust_flush.json"
expect "./usr/share/epos-trust/extension/chrome/manifest.json"
expect "./usr/share/epos-trust/extension/firefox/manifest.json"
expect "./usr/share/epos-trust/extension/epos-trust-chrome.zip"
expect "./usr/share/epos-trust/extension/epos-trust-firefox.xpi"
expect "./usr/share/doc/epos-trust/examples/policy/linux/chrome-managed-policy.json"
expect "./usr/share/doc/epos-trust/examples/policy/firefox/policies.json"
expect "./usr/share/doc/epos-trust/examples/policy/epos-trust/policy.json"
expect "./usr/share/doc/epos-trust/admin.md"
expect "./usr/share/man/man1/epos-trust.1.gz"
# Chromium's flush helper and its socket-activated units (installers/linux/epos-trust-flush*).
expect "./usr/libexec/epos-trust/epos-trust-flush"
expect "./usr/lib/systemd/system/epos-trust-flush.socket"
expect "./usr/lib/systemd/system/epos-trust-flush@.service"
dpkg-deb -c "$deb" | grep -q '^-rwxr-xr-x .* ./usr/libexec/epos-trust/epos-trust-flush$' || fail "epos-trust-flush is not executable"
# Nothing of the tests (emulator, support libraries, headers) slipped in.
if grep -E 'emulator|gtest|include/|\.a$' "$scratch/contents"; then fail "test files in the package"; fi

# The manifests: absolute paths to the packaged files, the IDs of manifests/*.json.in.
mkdir "$scratch/root"
dpkg-deb -x "$deb" "$scratch/root"
check_json() {  # FILE KEY EXPECTED
    node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));
             const got=JSON.stringify(j[process.argv[2]]);
             if (got !== process.argv[3]) { console.error(process.argv[1]+": "+process.argv[2]+" is "+got+", expected "+process.argv[3]); process.exit(1); }' "$@" \
        || fail "manifest content"
}
chrome_id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).allowed_origins[0])' "$source_dir/manifests/com.epos_trust.host.chrome.json.in")
check_json "$scratch/root$chrome_manifest" path '"/usr/libexec/epos-trust/epos-trust"'
check_json "$scratch/root$chrome_manifest" allowed_origins "[\"$chrome_id\"]"
check_json "$scratch/root/usr/lib/mozilla/native-messaging-hosts/com.epos_trust.host.json" path '"/usr/libexec/epos-trust/epos-trust"'
check_json "$scratch/root/usr/lib/mozilla/native-messaging-hosts/com.epos_trust.host.json" allowed_extensions '["epos-trust@epos-trust.org"]'
check_json "$scratch/root/usr/lib/mozilla/pkcs11-modules/epos_trust_flush.json" path '"/usr/libexec/epos-trust/libepos_trust_flush.so"'
"$scratch/root/usr/libexec/epos-trust/epos-trust" --version | grep -q '^epos-trust ' || fail "packaged host does not run"

# Dependencies, from dpkg-shlibdeps.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libnss3 libssl3 libboost-program-options; do
    echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib: $depends"
done

# lintian: no error, no warning (overrides carry their reasons: installers/linux/lintian-overrides).
if command -v lintian >/dev/null; then
    lintian --fail-on error,warning --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges' \
        | tee "$scratch/lintian.log"
    [ "$(grep -c '^[EW]:' "$scratch/lintian.log")" = 0 ] || fail "lintian"
    lintian --fail-on error,warning "$deb" >/dev/null 2>&1 || fail "lintian exit status"
else
    fail "lintian is not installed (apt-get install lintian)"
fi

if command -v rpmbuild >/dev/null; then
    (cd "$build" && cpack -G RPM -B "$scratch" >"$scratch/cpack-rpm.log" 2>&1) || { cat "$scratch/cpack-rpm.log"; fail "cpack -G RPM"; }
    rpm_file=$(ls "$scratch"/*.rpm)
    rpm -qlp "$rpm_file" 2>/dev/null >"$scratch/rpm-contents"
    for f in /usr/libexec/epos-trust/epos-trust /etc/chromium/native-messaging-hosts/com.epos_trust.host.json \
             /usr/lib/mozilla/pkcs11-modules/epos_trust_flush.json; do
        grep -qxF "$f" "$scratch/rpm-contents" || fail "$rpm_file lacks $f"
    done
    # Folders of the filesystem or the browsers' packages must not be claimed.
    for d in /etc/opt /usr/lib/mozilla /usr/libexec /usr/share/man; do
        if grep -qxF "$d" "$scratch/rpm-contents"; then fail "$rpm_file claims $d"; fi
    done
    rpm -qp --requires "$rpm_file" 2>/dev/null | grep -q 'libnss3.so' || fail "rpm requires lack libnss3"
    echo "rpm: $(basename "$rpm_file") ok"
fi
echo "deb: $(basename "$deb") ok ($(wc -l <"$scratch/contents") entries)"
