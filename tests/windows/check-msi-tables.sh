#!/bin/sh
# Builds the MSI (installers/windows/build-msi.sh) around the real epos-trust.exe
# (build-host.sh) and checks with msitools that its tables hold what an epos-trust install
# needs, per machine or per user, and that the exe it carries is that host.
#
#   check-msi-tables.sh SOURCE_DIR WORK_DIR HOST_WORK_DIR
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)

for tool in msiinfo msibuild msiextract wixl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool missing (apt-get install wixl msitools)" >&2; exit 1; }
done

exe=$("$src/tests/windows/build-host.sh" "$src" "$3" | tail -n 1)
msi=$("$src/installers/windows/build-msi.sh" "$src" "$work" "$exe")
failures=0
table() { msiinfo export "$msi" "$1" | tr -d '\r'; }
expect() {  # description, table, fixed-string line fragment (tab-separated columns)
    if table "$2" | grep -F -q -- "$3"; then
        echo "ok   $1"
    else
        echo "FAIL $1: no row with '$3' in $2" >&2
        failures=$((failures + 1))
    fi
}
tab=$(printf '\t')
nm_key() { printf -- '-1%s%s\\NativeMessagingHosts\\com.epos_trust.host%s%s[#%s]' "$tab" "$1" "$tab" "$tab" "$2"; }

# Per-machine, 64-bit.
expect "per-machine (ALLUSERS=1)" Property "ALLUSERS${tab}1"
if msiinfo suminfo "$msi" | grep -q '^Template: x64;'; then echo "ok   x64 package"; else
    echo "FAIL package template is not x64" >&2; failures=$((failures + 1)); fi
expect "install folder under Program Files (64-bit)" Directory "INSTALLDIR${tab}ProgramFiles64Folder${tab}epos-trust"

# Files.
expect "host exe" File "HostExe${tab}Host${tab}epos-trust.exe"
expect "Chrome-family manifest" File "ChromeManifestJson${tab}ChromiumFamilyManifest${tab}com.epos_trust.host.chrome.json"
expect "Firefox manifest" File "FirefoxManifestJson${tab}FirefoxManifest${tab}com.epos_trust.host.firefox.json"

# Native messaging keys, Root -1 (HKMU: HKLM per machine, HKCU per user), default value = the
# installed manifest.
expect "Chrome NM key" Registry "$(nm_key 'Software\Google\Chrome' ChromeManifestJson)"
expect "Chromium NM key" Registry "$(nm_key 'Software\Chromium' ChromeManifestJson)"
expect "Edge NM key" Registry "$(nm_key 'Software\Microsoft\Edge' ChromeManifestJson)"
# Brave reads Chrome's key on Windows (host/src/store/windows/native_messaging_registry.hpp): a
# Software\BraveSoftware key would be read by nothing.
if table Registry | grep -F -q 'BraveSoftware'; then
    echo "FAIL a BraveSoftware key in the Registry table: Brave reads Chrome's" >&2
    failures=$((failures + 1))
else
    echo "ok   no BraveSoftware key (Brave reads Chrome's)"
fi
expect "Firefox NM key" Registry "$(nm_key 'Software\Mozilla' FirefoxManifestJson)"

# Optional policy: values tied to properties, components conditioned on them.
chrome_id=$(sed -n "s/^export const CHROME_ID = '\([a-p]\{32\}\)';.*/\1/p" "$src/extension/manifest.mjs")
firefox_id=$(sed -n "s/^export const FIREFOX_ID = '\([^']*\)';.*/\1/p" "$src/extension/manifest.mjs")
expect "Chrome force-install" Registry "Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist${tab}30125${tab}${chrome_id};[CHROME_EXTENSION_UPDATE_URL]${tab}ChromeForceInstall"
expect "Edge force-install" Registry "Software\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist${tab}30125${tab}"
expect "Firefox force-install" Registry "Software\\Policies\\Mozilla\\Firefox\\ExtensionSettings\\${firefox_id}${tab}installation_mode${tab}force_installed"
expect "Chrome managed pinnedFingerprints" Registry "Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${chrome_id}\\policy${tab}pinnedFingerprints${tab}[PINNED_FINGERPRINTS]"
expect "Firefox managed pinnedFingerprints (REG_MULTI_SZ)" Registry "Software\\Policies\\Mozilla\\Firefox\\3rdparty\\Extensions\\${firefox_id}${tab}pinnedFingerprints${tab}[~][PINNED_FINGERPRINTS][~]"
expect "Chrome managed precheck DWORD" Registry "${tab}precheck${tab}#1${tab}PrecheckOnPolicy"
expect "force-install condition" Component "CHROME_FORCE_INSTALL = \"1\" OR REMOVE~=\"ALL\""
expect "pinned condition" Component "PINNED_FINGERPRINTS OR REMOVE~=\"ALL\""
expect "precheck=false condition" Component "PRECHECK = \"false\" OR REMOVE~=\"ALL\""
expect "properties reach a per-machine install" Property "SecureCustomProperties${tab}WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;CHROME_FORCE_INSTALL;EDGE_FORCE_INSTALL;FIREFOX_FORCE_INSTALL;PINNED_FINGERPRINTS;ODOO_ORIGINS;NETWORKS;PRECHECK"
expect "Chrome update URL default" Property "CHROME_EXTENSION_UPDATE_URL${tab}https://clients2.google.com/service/update2/crx"
expect "upgrades replace older versions" Upgrade "{53DE3B18-BC25-4D99-B01D-F544FEC1AD09}"

# Policy rows are HKLM (Root 2), native messaging rows HKMU (-1): nothing else.
if table Registry | tail -n +4 | awk -F "$tab" '($3 ~ /^Software\\Policies\\/ && $2 != 2) || ($3 ~ /NativeMessagingHosts/ && $2 != -1) || ($3 !~ /^Software\\Policies\\/ && $3 !~ /NativeMessagingHosts/)' | grep -q .; then
    echo "FAIL a Registry row is neither an HKLM policy nor an HKMU native messaging key" >&2; failures=$((failures + 1))
else
    echo "ok   policy rows HKLM, native messaging rows HKMU"
fi
# Every component without a condition is one of the three that always install.
unconditioned=$(table Component | tail -n +4 | awk -F "$tab" '$5 == "" { print $1 }' | sort | tr '\n' ' ')
if [ "$unconditioned" = "ChromiumFamilyManifest FirefoxManifest Host " ]; then
    echo "ok   only the host and manifests install unconditionally"
else
    echo "FAIL unconditioned components: $unconditioned" >&2; failures=$((failures + 1))
fi

# The manifests packed into it name the extension and a host beside them.
stage="$work/stage"
grep -q "\"allowed_origins\": \[\"chrome-extension://$chrome_id/\"" "$stage/com.epos_trust.host.chrome.json" &&
    grep -q "\"allowed_extensions\": \[\"$firefox_id\"\]" "$stage/com.epos_trust.host.firefox.json" &&
    grep -q '"path": "epos-trust.exe"' "$stage/com.epos_trust.host.firefox.json" &&
    echo "ok   manifests name the extension IDs and the host" ||
    { echo "FAIL manifests" >&2; failures=$((failures + 1)); }

# The exe inside is the real host, byte for byte, not a stand-in.
rm -rf "$work/extracted"
mkdir -p "$work/extracted"
(cd "$work/extracted" && msiextract "$msi" >/dev/null)
packed=$(find "$work/extracted" -name epos-trust.exe | head -n 1)
if [ -n "$packed" ] && cmp -s "$packed" "$exe"; then
    echo "ok   the packed epos-trust.exe is the host built by build-host.sh"
else
    echo "FAIL the packed epos-trust.exe ($packed) is not $exe" >&2; failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed for $msi" >&2
    exit 1
fi
echo "all MSI table checks passed: $msi"
