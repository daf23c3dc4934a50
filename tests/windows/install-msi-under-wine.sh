#!/bin/sh
# Installs the MSI (the real epos-trust.exe, build-host.sh) under wine, silently: per machine,
# then per user, then per machine with every policy property. Each time it checks the files and
# the keys written, starts the INSTALLED host the way Chrome and Firefox find it
# (tools/nm_launcher.exe: key -> manifest -> exe, the browser's argv, framed messages; an inspect
# of the emulator on 127.0.0.25), uninstalls, and checks that no file and no key is left.
#
#   install-msi-under-wine.sh SOURCE_DIR WORK_DIR HOST_WORK_DIR EMULATOR_BIN
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
emulator=$4

. "$src/tests/windows/wine-env.sh"
epos_require_tools x86_64-w64-mingw32-g++-posix wixl msibuild

exe=$("$src/tests/windows/build-host.sh" "$src" "$3" | tail -n 1)
msi=$("$src/installers/windows/build-msi.sh" "$src" "$work/msi" "$exe")
for tool in msi_install nm_launcher; do
    x86_64-w64-mingw32-g++-posix -std=c++20 -O2 -static -municode -Wall -Wextra -Werror \
        -o "$work/$tool.exe" "$src/tests/windows/tools/$tool.cpp" -lmsi -ladvapi32
done
chrome_id=$(sed -n "s/^export const CHROME_ID = '\([a-p]\{32\}\)';.*/\1/p" "$src/extension/manifest.mjs")
firefox_id=$(sed -n "s/^export const FIREFOX_ID = '\([^']*\)';.*/\1/p" "$src/extension/manifest.mjs")

rm -rf "$work/prefix"
epos_wine_prefix "$work/prefix"
epos_wine_services
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
vendor_keys='Software\Google\Chrome Software\Chromium Software\Microsoft\Edge Software\Mozilla'
# Brave reads Chrome's key on Windows: a key of its own would be read by nothing, none is written.
brave_key='Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\com.epos_trust.host'
policy_keys="HKLM\\Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist HKLM\\Software\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist HKLM\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\$chrome_id HKLM\\Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\$chrome_id HKLM\\Software\\Policies\\Mozilla\\Firefox\\3rdparty\\Extensions\\$firefox_id HKLM\\Software\\Policies\\Mozilla\\Firefox\\ExtensionSettings\\$firefox_id"

check_uninstalled() {
    if [ -e "$install_dir" ]; then fail "install folder left behind"; else ok "install folder removed"; fi
    for hive in HKLM HKCU; do
        for key in $vendor_keys; do expect_no_key "$hive\\$key\\NativeMessagingHosts\\com.epos_trust.host"; done
    done
    for key in $policy_keys; do expect_no_key "$key"; done
}

# The installed host, started as each browser starts it, answers hello and inspects a printer.
emulator_url=""
check_installed_host_runs() {  # where (HKLM/HKCU, for the messages)
    requests="$work/requests.jsonl"
    printf '%s\n' '{"id":1,"cmd":"hello"}' "{\"id\":2,\"cmd\":\"inspect\",\"url\":\"$emulator_url\"}" >"$requests"
    for browser in chrome firefox; do
        id=$chrome_id
        [ "$browser" = firefox ] && id=$firefox_id
        out=$("$EPOS_WINE" "$work/nm_launcher.exe" "$browser" com.epos_trust.host "$id" \
            "$("$EPOS_WINE" winepath -w "$requests" 2>/dev/null)" 2>"$work/launcher.err" | tr -d '\r') || true
        host_line=$(grep '^host ' "$work/launcher.err" || true)
        case "$host_line" in
            *'C:\Program Files\epos-trust\epos-trust.exe'*) ok "$browser finds the installed host through $1 ($host_line)" ;;
            *) fail "$browser did not find the installed host through $1: $(cat "$work/launcher.err")" ;;
        esac
        if printf '%s\n' "$out" | grep -q "\"caller\":{\"browser\":\"$browser\"" &&
            printf '%s\n' "$out" | grep -q '"id":1,"ok":true'; then
            ok "$browser: hello answered by the installed host"
        else
            fail "$browser: hello: $out"
        fi
        if printf '%s\n' "$out" | grep '"id":2,"ok":true' | grep -q "\"sha256\":\"$emulator_sha256\""; then
            ok "$browser: inspect of the emulator gives its fingerprint"
        else
            fail "$browser: inspect: $out"
        fi
        [ "$(printf '%s\n' "$out" | grep -c '^exit 0$')" = 2 ] && ok "$browser: both host processes exited 0" ||
            fail "$browser: exits: $out"
    done
}

# The emulated printer the installed host inspects.
"$emulator" --address 127.0.0.25 --port 0 --shape good >"$work/emulator.json" 2>"$work/emulator.err" &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/emulator.json" ] && break; sleep 0.1; done
emulator_url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$work/emulator.json")
emulator_sha256=$(sed -n 's/.*"sha256":"\([0-9a-f]\{64\}\)".*/\1/p' "$work/emulator.json")
[ -n "$emulator_url" ] && [ -n "$emulator_sha256" ] || { cat "$work/emulator.err" >&2; echo "FAIL: emulator did not start" >&2; exit 1; }

check_installed_files() {
    for file in epos-trust.exe com.epos_trust.host.chrome.json com.epos_trust.host.firefox.json; do
        if [ -f "$install_dir/$file" ]; then ok "installed $file"; else fail "missing $file"; fi
    done
    if cmp -s "$install_dir/epos-trust.exe" "$exe"; then ok "the installed exe is the real host"; else fail "installed exe differs from $exe"; fi
}
check_keys() {  # hive that must hold them, hive that must not
    for key in $vendor_keys; do
        manifest=com.epos_trust.host.chrome.json
        [ "$key" = 'Software\Mozilla' ] && manifest=com.epos_trust.host.firefox.json
        expect_value "$1\\$key\\NativeMessagingHosts\\com.epos_trust.host" "" REG_SZ "$manifest_dir\\$manifest"
        expect_no_key "$2\\$key\\NativeMessagingHosts\\com.epos_trust.host"
    done
    expect_no_key "$1\\$brave_key"
}

printf '%s\n' "== per-machine install: msiexec /i /qn"
"$EPOS_WINE" msiexec /i "$wmsi" /qn >/dev/null 2>&1 || fail "msiexec /i exited $?"
check_installed_files
check_keys HKLM HKCU
for key in $policy_keys; do expect_no_key "$key"; done
check_installed_host_runs HKLM
"$EPOS_WINE" msiexec /x "$wmsi" /qn >/dev/null 2>&1 || fail "msiexec /x exited $?"
check_uninstalled

printf '%s\n' "== per-user install: ALLUSERS=\"\" (msi.dll)"
printf '%s' 'ALLUSERS=""' >"$work/per-user.txt"
"$EPOS_WINE" "$work/msi_install.exe" "$wmsi" "$("$EPOS_WINE" winepath -w "$work/per-user.txt" 2>/dev/null)" >/dev/null 2>&1 ||
    fail "per-user MsiInstallProduct failed"
check_installed_files
check_keys HKCU HKLM
check_installed_host_runs HKCU
# Uninstalled with the same ALLUSERS="": wine's `msiexec /x` re-reads ALLUSERS=1 from the package
# and removed the files but left the HKCU keys (measured), where Windows remembers the install's
# scope. REMOVE=ALL through msi.dll is the documented uninstall.
printf '%s' 'REMOVE=ALL ALLUSERS=""' >"$work/per-user-remove.txt"
"$EPOS_WINE" "$work/msi_install.exe" "$wmsi" "$("$EPOS_WINE" winepath -w "$work/per-user-remove.txt" 2>/dev/null)" >/dev/null 2>&1 ||
    fail "per-user REMOVE=ALL failed"
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

"$EPOS_WINESERVER" -k 2>/dev/null || true
if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "MSI install and uninstall under wine: all checks passed"
