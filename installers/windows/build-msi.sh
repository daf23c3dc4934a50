#!/bin/sh
# Builds the epos-trust MSI with wixl (Debian msitools) from epos-trust.wxs.
#
#   build-msi.sh SOURCE_DIR OUT_DIR HOST_EXE
#
# HOST_EXE is the real epos-trust.exe: cross-compiled here (tests/windows/build-host.sh, preset
# windows-mingw) or built on Windows (preset windows-vcpkg). Prints the path of the MSI.
set -eu

if [ $# -ne 3 ]; then
    echo "usage: $0 SOURCE_DIR OUT_DIR HOST_EXE" >&2
    exit 2
fi
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
host_exe=$3
here="$src/installers/windows"

for tool in wixl msibuild; do
    command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool missing (apt-get install wixl msitools)" >&2; exit 1; }
done

version=$(sed -n 's/^project(epos-trust VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
# The extension's fixed IDs, from the one place they are defined (extension/manifest.mjs).
chrome_id=$(sed -n "s/^export const CHROME_ID = '\([a-p]\{32\}\)';.*/\1/p" "$src/extension/manifest.mjs")
firefox_id=$(sed -n "s/^export const FIREFOX_ID = '\([^']*\)';.*/\1/p" "$src/extension/manifest.mjs")
edge_id=${EPOS_EDGE_EXTENSION_ID:-$chrome_id}  # the Edge Add-ons ID, once the store assigns one
firefox_url=${EPOS_FIREFOX_EXTENSION_URL:-https://addons.mozilla.org/firefox/downloads/latest/epos-trust/latest.xpi}
if [ -z "$version" ] || [ -z "$chrome_id" ] || [ -z "$firefox_id" ]; then
    echo "FAIL: cannot read the version ($version) or extension IDs ($chrome_id, $firefox_id)" >&2
    exit 1
fi

stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"

[ -f "$host_exe" ] || { echo "FAIL: no host at $host_exe" >&2; exit 1; }
cp "$host_exe" "$stage/epos-trust.exe"
product_name="epos-trust"
comments="epos-trust $version"
msi="$out/epos-trust-$version-x64.msi"

# The host manifests. "path" is relative to the manifest, which Chrome and Firefox accept on
# Windows only: the MSI never has to rewrite a file at install time.
description="epos-trust: trust an Epson ePOS printer's certificate"
cat >"$stage/com.epos_trust.host.chrome.json" <<JSON
{
  "name": "com.epos_trust.host",
  "description": "$description",
  "path": "epos-trust.exe",
  "type": "stdio",
  "allowed_origins": [$(printf '"chrome-extension://%s/"' "$chrome_id")$( [ "$edge_id" != "$chrome_id" ] && printf ', "chrome-extension://%s/"' "$edge_id")]
}
JSON
cat >"$stage/com.epos_trust.host.firefox.json" <<JSON
{
  "name": "com.epos_trust.host",
  "description": "$description",
  "path": "epos-trust.exe",
  "type": "stdio",
  "allowed_extensions": ["$firefox_id"]
}
JSON

# wixl 0.101 rejects <Condition> inside <Component>: take them out of a copy and put them into
# the Component table afterwards (see the comment at the top of epos-trust.wxs).
awk -v conditions="$stage/conditions.tsv" '
    /<Component Id="/ { match($0, /Id="[^"]*"/); component = substr($0, RSTART + 4, RLENGTH - 5) }
    /<Condition>.*<\/Condition>/ {
        text = $0
        sub(/.*<Condition>/, "", text); sub(/<\/Condition>.*/, "", text)
        printf "%s\t%s\n", component, text > conditions
        next
    }
    { print }
' "$here/epos-trust.wxs" >"$stage/epos-trust.wixl.wxs"

(cd "$stage" && wixl -a x64 -o "$msi" \
    -D ProductName="$product_name" -D Version="$version" -D PackageComments="$comments" \
    -D ChromeExtensionId="$chrome_id" -D EdgeExtensionId="$edge_id" \
    -D FirefoxExtensionId="$firefox_id" -D FirefoxExtensionUrl="$firefox_url" \
    epos-trust.wixl.wxs)

# wixl 0.101 writes Root="HKMU" as 4, which Windows Installer does not know; HKMU is -1 ("HKLM
# in a per-machine install, HKCU in a per-user one").
msibuild "$msi" -q "UPDATE \`Registry\` SET \`Root\` = -1 WHERE \`Root\` = 4"

secure="WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED"
while IFS="$(printf '\t')" read -r component condition; do
    sql_condition=$(printf '%s' "$condition" | sed "s/'/''/g")
    msibuild "$msi" -q "UPDATE \`Component\` SET \`Condition\` = '$sql_condition' WHERE \`Component\` = '$component'"
    # Public properties chosen on the msiexec command line must be "secure" to reach the
    # elevated (server-side) part of a per-machine install.
    for property in $(printf '%s' "$condition" | grep -o '[A-Z][A-Z_]*[A-Z]'); do
        case ";$secure;REMOVE;ALL;OR;AND;NOT;" in *";$property;"*) ;; *) secure="$secure;$property" ;; esac
    done
done <"$stage/conditions.tsv"
for property in CHROME_EXTENSION_UPDATE_URL EDGE_EXTENSION_UPDATE_URL FIREFOX_EXTENSION_URL; do
    secure="$secure;$property"
done
msibuild "$msi" -q "UPDATE \`Property\` SET \`Value\` = '$secure' WHERE \`Property\` = 'SecureCustomProperties'"

echo "$msi"
