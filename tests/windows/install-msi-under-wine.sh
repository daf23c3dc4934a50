#!/bin/sh
# Installs the MSI under wine (per-machine, silent), checks the files and HKLM keys it wrote,
# uninstalls it and checks that nothing is left; once plainly, once with every policy property.
#
#   install-msi-under-wine.sh SOURCE_DIR WORK_DIR
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)

. "$src/tests/windows/wine-env.sh"
epos_require_tools x86_64-w64-mingw32-g++-posix wixl msibuild

msi=$("$src/installers/windows/build-msi.sh" "$src" "$work/msi")
x86_64-w64-mingw32-g++-posix -O2 -static -municode -Wall -Wextra -Werror \
    -o "$work/msi_install.exe" "$src/tests/windows/tools/msi_install.cpp" -lmsi
chrome_id=$(sed -n "s/^export const CHROME_ID = '\([a-p]\{32\}\)';.*/\1/p" "$src/extension/manifest.mjs")
firefox_id=$(sed -n "s/^export const FIREFOX_ID = '\([^']*\)';.*/\1/p" "$src/extension/manifest.mjs")

epos_wine_prefix "$work/prefix"
wine() { "$EPOS_WINE" "$@" 2>/dev/null | tr -d '\r'; }
failures=0
# printf, not echo: dash's echo would read the "\c" of a registry path as "stop here".
ok() { printf 'ok   %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1" >&2; failures=$((failures + 1)); }

# "TYPE<TAB>DATA" of a value ("" = the default value), empty if absent.
value() {
    if [ -z "$2" ]; then set -- "$1" /ve; else set -- "$1" /v "$2"; fi
    wine reg query "$1" "$2" ${3:-} | awk -F '    ' 'NF >= 4 { print $3 "\t" $4; exit }'
}
expect_value() {  # key name type data
    got=$(value "$1" "$2")
    want=$(printf '%s\t%s' "$3" "$4")
    if [ "$got" = "$want" ]; then ok "$1 [$2] = $4"; else fail "$1 [$2]: got '$got', want '$want'"; fi
}
expect_no_key() {
    if "$EPOS_WINE" reg query "$1" >/dev/null 2>&1; then fail "$1 exists"; else ok "$1 absent"; fi
}

install_dir="$WINEPREFIX/drive_c/Program Files/epos-trust"
manifest_dir='C:\Program Files\epos-trust'
wmsi=$("$EPOS_WINE" winepath -w "$msi" 2>/dev/null)
nm_keys='HKLM\Software\Google\Chrome HKLM\Software\Chromium HKLM\Software\Microsoft\Edge HKLM\Software\BraveSoftware\Brave-Browser'
policy_keys="HKLM\\Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist HKLM\\Software\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist HKLM\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\$chrome_id HKLM\\Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\$chrome_id HKLM\\Software\\Policies\\Mozilla\\Firefox\\3rdparty\\Extensions\\$firefox_id HKLM\\Software\\Policies\\Mozilla\\Firefox\\ExtensionSettings\\$firefox_id"

check_uninstalled() {
    if [ -e "$install_dir" ]; then fail "install folder left behind"; else ok "install folder removed"; fi
    for key in $nm_keys HKLM\\Software\\Mozilla; do expect_no_key "$key\\NativeMessagingHosts\\com.epos_trust.host"; done
    for key in $policy_keys; do expect_no_key "$key"; done
}

printf '%s\n' "== plain install: msiexec /i /qn"
"$EPOS_WINE" msiexec /i "$wmsi" /qn >/dev/null 2>&1 || fail "msiexec /i exited $?"
for file in epos-trust.exe com.epos_trust.host.chrome.json com.epos_trust.host.firefox.json; do
    if [ -f "$install_dir/$file" ]; then ok "installed $file"; else fail "missing $file"; fi
done
for key in $nm_keys; do
    expect_value "$key\\NativeMessagingHosts\\com.epos_trust.host" "" REG_SZ "$manifest_dir\\com.epos_trust.host.chrome.json"
done
expect_value 'HKLM\Software\Mozilla\NativeMessagingHosts\com.epos_trust.host' "" REG_SZ "$manifest_dir\\com.epos_trust.host.firefox.json"
for key in $policy_keys; do expect_no_key "$key"; done
# The installed exe runs (the placeholder answers a browser with a native messaging error).
reply=$(cd "$install_dir" && "$EPOS_WINE" ./epos-trust.exe "chrome-extension://$chrome_id/" </dev/null 2>/dev/null | tail -c +5 || true)
case "$reply" in *'"code":"host_placeholder"'*) ok "installed host starts and answers" ;; *) fail "installed host: '$reply'" ;; esac
"$EPOS_WINE" msiexec /x "$wmsi" /qn >/dev/null 2>&1 || fail "msiexec /x exited $?"
check_uninstalled

printf '%s\n' "== install with every policy property (msi.dll, the admin's exact property string)"
fp1=$(printf 'a%.0s' $(seq 64))
fp2=$(printf '0%.0s' $(seq 64))
printf '%s' "PINNED_FINGERPRINTS=\"[\"\"$fp1\"\",\"\"$fp2\"\"]\" ODOO_ORIGINS=\"[\"\"https://pos.example.com\"\"]\" NETWORKS=\"[\"\"private\"\",\"\"loopback\"\"]\" PRECHECK=false CHROME_FORCE_INSTALL=1 EDGE_FORCE_INSTALL=1 FIREFOX_FORCE_INSTALL=1" >"$work/properties.txt"
"$EPOS_WINE" "$work/msi_install.exe" "$wmsi" "$("$EPOS_WINE" winepath -w "$work/properties.txt" 2>/dev/null)" >/dev/null 2>&1 ||
    fail "MsiInstallProduct with properties failed"
pinned="[\"$fp1\",\"$fp2\"]"
for key in "HKLM\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\$chrome_id\\policy" "HKLM\\Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\$chrome_id\\policy"; do
    expect_value "$key" pinnedFingerprints REG_SZ "$pinned"
    expect_value "$key" odooOrigins REG_SZ '["https://pos.example.com"]'
    expect_value "$key" networks REG_SZ '["private","loopback"]'
    expect_value "$key" precheck REG_DWORD 0x0
done
firefox_key="HKLM\\Software\\Policies\\Mozilla\\Firefox\\3rdparty\\Extensions\\$firefox_id"
expect_value "$firefox_key" pinnedFingerprints REG_MULTI_SZ "$pinned"
expect_value "$firefox_key" precheck REG_MULTI_SZ false
expect_value 'HKLM\Software\Policies\Google\Chrome\ExtensionInstallForcelist' 30125 REG_SZ "$chrome_id;https://clients2.google.com/service/update2/crx"
expect_value 'HKLM\Software\Policies\Microsoft\Edge\ExtensionInstallForcelist' 30125 REG_SZ "$chrome_id;https://edge.microsoft.com/extensionwebstorebase/v1/crx"
expect_value "HKLM\\Software\\Policies\\Mozilla\\Firefox\\ExtensionSettings\\$firefox_id" installation_mode REG_SZ force_installed
"$EPOS_WINE" msiexec /x "$wmsi" /qn >/dev/null 2>&1 || fail "msiexec /x exited $?"
check_uninstalled

"$EPOS_WINESERVER" -w
if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "MSI install and uninstall under wine: all checks passed"
