#!/bin/bash
# Regenerates corpus/epos_reply_fuzz/ (called by make-seeds.sh; runs on its own too). Each seed is
# the fuzz target's control byte, its read sizes, then what a server sends (epos_reply_fuzz.cpp):
#   \x00           every read gets as much as it asks for, then a clean close
#   \x03\x00\x06\x3f  reads of 1, 7 and 64 bytes in turn
#   \x10           the stream ends in a failure (timeout) instead of a close
# replies/emulator-*: the real emulator's replies to the host's status request (tests/emulator,
# --address 127.0.0.27, states ok/cover-open/paper-end, devid=other, --mode not-epos, --mode
# garbage cut to 1 KiB), captured as raw bytes after TLS with a Python ssl client that sends
# exactly the request probe_epos sends.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
R="$HERE/corpus/epos_reply_fuzz"
rm -rf "$R"
mkdir -p "$R"

seed() {  # seed NAME PREFIX: PREFIX (printf format) then stdin
    { printf "$2"; cat; } >"$R/$1"
}
repeat() {  # repeat COUNT TEXT
    python3 -c 'import sys; sys.stdout.write(sys.argv[2] * int(sys.argv[1]))' "$1" "$2"
}

for reply in "$HERE"/replies/emulator-*; do
    seed "$(basename "$reply")" '\x00' <"$reply"
done
seed emulator-ok-in-small-reads '\x03\x00\x06\x3f' <"$HERE/replies/emulator-ok"
seed emulator-ok-cut-then-eof '\x00' < <(head -c 300 "$HERE/replies/emulator-ok")
seed emulator-ok-cut-then-timeout '\x10' < <(head -c 300 "$HERE/replies/emulator-ok")
seed emulator-ok-header-cut-then-timeout '\x11\x04' < <(head -c 60 "$HERE/replies/emulator-ok")

EPOS='<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="false" code="EPTR_COVER_OPEN" status="251658302" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>'
HALF=${EPOS:0:40}
REST=${EPOS:40}
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n' \
    ${#HALF} "$HALF" ${#REST} "$REST" | seed chunked '\x02\x04\x0c'
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x;name=value\r\n%s\r\n0\r\nX-Trailer: yes\r\n\r\n' \
    ${#EPOS} "$EPOS" | seed chunked-extension-trailer '\x00'
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nxx\r\n0\r\n\r\n' |
    seed chunked-huge-size '\x00'
{ printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
  for _ in $(seq 17); do printf '1000\r\n'; repeat 4096 x; printf '\r\n'; done
  printf '0\r\n\r\n'; } | seed chunked-over-body-limit '\x00'
printf 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%s' "$EPOS" | seed close-delimited '\x01\x1f'
printf 'HTTP/1.0 200 OK\r\n\r\n%s' "$EPOS" | seed http10-close-delimited '\x00'
{ printf 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'; repeat 70000 x; } |
    seed close-delimited-over-body-limit '\x00'
{ printf 'HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n'; repeat 70000 x; } |
    seed length-over-body-limit '\x00'
printf 'HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 22\r\n\r\n<html>Not found</html>' |
    seed not-found-404 '\x00'
printf 'HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\n%s' "$(repeat 100 x)" |
    seed content-length-1pb '\x00'
printf 'HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nxx' | seed content-length-u64-max '\x00'
printf 'HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\nxx' | seed content-length-u64-overflow '\x00'
printf 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nxxxxxxx' | seed content-length-twice '\x00'
printf 'HTTP/1.1 200 OK\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n' \
    ${#EPOS} ${#EPOS} "$EPOS" | seed length-and-chunked '\x00'
{ printf 'HTTP/1.1 200 OK\r\nX-Pad: '; repeat 17000 a; printf '\r\n\r\n'; } | seed header-over-limit '\x00'
{ printf 'HTTP/1.1 200 OK\r\n'; repeat 3000 $'A: b\r\n'; printf '\r\n'; } | seed many-header-lines '\x00'
printf 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s' ${#EPOS} "$EPOS" |
    seed continue-then-200 '\x00'
printf 'HTTP/1.1 204 No Content\r\n\r\n' | seed no-content-204 '\x00'
printf 'HTTP/1.1 999 Whatever\r\nContent-Length: %d\r\n\r\n%s' ${#EPOS} "$EPOS" | seed status-999 '\x00'
printf 'HTTP/1.1 099 Low\r\n\r\n' | seed status-099 '\x00'
printf 'HTTP/1.1 200 OK\nContent-Length: %d\n\n%s' ${#EPOS} "$EPOS" | seed bare-lf '\x00'
printf 'HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\nxx' | seed obs-fold '\x00'
printf 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nxxHTTP/1.1 200 OK\r\n\r\n' | seed extra-after-body '\x00'
: | seed empty '\x00'
: | seed empty-then-timeout '\x10'
python3 -c 'import random, sys; r = random.Random(6); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(512)))' |
    seed garbage '\x00'
echo "epos_reply_fuzz seeds written to $R"
