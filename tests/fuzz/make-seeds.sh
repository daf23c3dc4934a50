#!/bin/bash
# Regenerates the committed seed corpus (tests/fuzz/corpus/<target>/): the protocol's requests,
# printer URLs of every form, policy files, ePOS replies, and certificates of every shape of
# docs/browser-behaviour.md §5 in DER and PEM (certificates only: the throwaway keys are deleted).
# Run from anywhere; needs openssl. The fuzzers grow their own corpora from these.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS="$HERE/corpus"
rm -rf "$CORPUS"
mkdir -p "$CORPUS"/{native_messaging_fuzz,certificate_fuzz,target_fuzz,policy_fuzz,epos_response_fuzz}

# --- native messaging: one or more frames per file -------------------------------------------
frames() {  # frames FILE JSON...: each JSON as a native messaging frame (little-endian length)
    local file=$1
    shift
    : >"$file"
    for body in "$@"; do
        python3 -c 'import struct,sys; b=sys.argv[1].encode(); sys.stdout.buffer.write(struct.pack("<I",len(b))+b)' "$body" >>"$file"
    done
}
N="$CORPUS/native_messaging_fuzz"
frames "$N/hello" '{"id":1,"cmd":"hello"}'
frames "$N/hello-string-id" '{"id":"a-1","cmd":"hello"}'
frames "$N/inspect" '{"id":2,"cmd":"inspect","url":"https://127.0.0.25:8443"}'
frames "$N/inspect-ipv6" '{"id":2,"cmd":"inspect","url":"https://[fd00::25]:8443/"}'
frames "$N/inspect-name" '{"id":2,"cmd":"inspect","url":"https://printer.lan"}'
frames "$N/trust" '{"id":7,"cmd":"trust","url":"https://127.0.0.25:8443","sha256":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}'
frames "$N/trust-grouped" '{"id":7,"cmd":"trust","url":"https://127.0.0.25","sha256":"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"}'
frames "$N/untrust" '{"id":8,"cmd":"untrust","sha256":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}'
frames "$N/list" '{"id":9,"cmd":"list"}'
frames "$N/unknown" '{"id":6,"cmd":"print-everything"}'
frames "$N/no-id" '{"cmd":"hello"}'
frames "$N/bad-types" '{"id":[1],"cmd":7,"url":null}'
frames "$N/not-object" '[1,2,3]'
frames "$N/nested" '{"id":1,"cmd":"hello","x":[[[[{"a":[[["b"]]]}]]]]}'
frames "$N/unicode" '{"id":"\u00e9\ud83d\ude00","cmd":"inspect","url":"https://xn--bcher-kva.example"}'
frames "$N/session" '{"id":1,"cmd":"hello"}' '{"id":2,"cmd":"list"}' '{"id":3,"cmd":"inspect"}'
printf '\x00\x00\x00\x00' >"$N/empty-frame"
printf '\x05\x00' >"$N/truncated-header"
printf '\x40\x00\x00\x00{"id":1' >"$N/truncated-body"
printf '\x01\x00\x10\x00' >"$N/too-large"

# --- printer URLs ------------------------------------------------------------------------------
U="$CORPUS/target_fuzz"
i=0
while IFS= read -r url; do
    i=$((i + 1))
    printf '%s' "$url" >"$U/url-$i"
done <<'URLS'
https://127.0.0.25:8443
https://192.168.1.25
https://192.168.1.25/
https://192.168.1.25:443/
https://[fd00::25]:8443
https://[fe80::1%25eth0]/
https://[::ffff:192.168.1.25]
https://printer.lan
HTTPS://Printer.LAN:9100
https://xn--bcher-kva.example
https://user:pass@192.168.1.25
http://192.168.1.25
https://192.168.1.25:0
https://192.168.1.25:65536
https://192.168.1.25/cgi-bin/epos/service.cgi?devid=local_printer
https://0x7f.1
https://2130706433
https://192.168.1.25#frag
https://bücher.example
https://[::1
URLS

# --- policy files --------------------------------------------------------------------------------
P="$CORPUS/policy_fuzz"
cp "$HERE/../../installers/policy/epos-trust/policy.json" "$P/shipped-example"
printf '%s' '{}' >"$P/empty"
printf '%s' '{"allowed_networks":["loopback","private","link_local","ula","cgnat","public"]}' >"$P/networks"
printf '%s' '{"pinned_sha256":["AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"],"installs_allowed":false}' >"$P/pinned"
printf '%s' '{"require_confirmation":true,"windows_store":"local_machine_trusted_people","_comment":"x"}' >"$P/windows"
printf '%s' '{"allowed_networks":"private"}' >"$P/wrong-type"
printf '%s' '{"surprise":1}' >"$P/unknown-key"

# --- ePOS replies --------------------------------------------------------------------------------
E="$CORPUS/epos_response_fuzz"
printf '%s' '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="true" code="" status="251658262" battery="0" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>' >"$E/success"
printf '%s' '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="false" code="EPTR_COVER_OPEN" status="251658302" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>' >"$E/cover-open"
printf '%s' '<e:response xmlns:e="http://www.epson-pos.com/schemas/2011/03/epos-print" success="false" code="DeviceNotFound" status="0"></e:response>' >"$E/prefixed"
printf '%s' '<html><body>It works!</body></html>' >"$E/not-epos"
printf '%s' '<response success="true" code="" status="1"/>' >"$E/no-namespace"

# --- certificates --------------------------------------------------------------------------------
C="$CORPUS/certificate_fuzz"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cert() {  # cert NAME KEYSPEC [openssl req args...]: self-signed, saved as NAME.der and NAME.pem
    local name=$1 keyspec=$2
    shift 2
    openssl req -x509 -newkey "$keyspec" -nodes -keyout "$WORK/key.pem" -out "$WORK/$name.pem" \
        -subj "/CN=127.0.0.25" "$@" 2>/dev/null
    cp "$WORK/$name.pem" "$C/$name.pem"
    openssl x509 -in "$WORK/$name.pem" -outform DER -out "$C/$name.der"
}
openssl ecparam -name prime256v1 -out "$WORK/p256.param"
openssl ecparam -name secp384r1 -out "$WORK/p384.param"
EC=ec:$WORK/p256.param
cert good-ec "$EC" -days 365 -addext "subjectAltName=IP:127.0.0.25" \
    -addext "basicConstraints=critical,CA:FALSE" -addext "keyUsage=digitalSignature" \
    -addext "extendedKeyUsage=serverAuth"
cert good-rsa rsa:2048 -days 365 -addext "subjectAltName=IP:127.0.0.25,IP:::1,DNS:printer.lan"
cert no-san "$EC" -days 365
cert dns-wildcard "$EC" -days 365 -addext "subjectAltName=DNS:*.lan,DNS:printer.lan"
cert ca-true "$EC" -days 365 -addext "basicConstraints=critical,CA:TRUE" \
    -addext "subjectAltName=IP:127.0.0.25"
cert long-validity "$EC" -days 3650 -addext "subjectAltName=IP:127.0.0.25"
cert sha1 rsa:1024 -sha1 -days 365 -addext "subjectAltName=IP:127.0.0.25"
cert ed25519 ed25519 -days 365 -addext "subjectAltName=IP:127.0.0.25"
cert p384 "ec:$WORK/p384.param" -days 365 -addext "subjectAltName=IP:127.0.0.25"
cert eku-client "$EC" -days 365 -addext "extendedKeyUsage=clientAuth" \
    -addext "subjectAltName=IP:127.0.0.25"
cert utf8-subject "$EC" -days 365 -subj "/CN=imprimante-caisse-é/O=Café" \
    -addext "subjectAltName=IP:127.0.0.25"
# X.509 v1: no extensions at all (openssl x509 -req without -extfile writes v1).
openssl req -new -newkey "$EC" -nodes -keyout "$WORK/v1.key" -subj "/CN=127.0.0.25" \
    -out "$WORK/v1.csr" 2>/dev/null
openssl x509 -req -in "$WORK/v1.csr" -signkey "$WORK/v1.key" -days 365 -out "$WORK/v1.pem" 2>/dev/null
cp "$WORK/v1.pem" "$C/v1.pem"
openssl x509 -in "$WORK/v1.pem" -outform DER -out "$C/v1.der"
# Two certificates in one PEM text (only the first may be read) and a truncated DER.
cat "$C/good-ec.pem" "$C/no-san.pem" >"$C/two-in-one.pem"
head -c 200 "$C/good-rsa.der" >"$C/truncated.der"
echo "seeds written to $CORPUS"
