#!/bin/sh
# Benchmark (not a test): `epos-trust trust` of an emulated printer on loopback into one NSS
# database, each run by a fresh process, as the extension's sendNativeMessage does. Prints the
# median and the spread of the wall time. Goal: median <= 40 ms.
#
#   tests/bench/trust_bench.sh BUILD_DIR [RUNS]
#
# Each run: trust (timed) then untrust (not timed), so every timed run really installs.
set -eu
BUILD=${1:?usage: trust_bench.sh BUILD_DIR [RUNS]}
RUNS=${2:-31}
HOST_BIN="$BUILD/host/epos-trust"
EMULATOR_BIN="$BUILD/tests/emulator/epos-emulator"

WORK=$(mktemp -d)
EMULATOR_PID=
cleanup() {
    [ -n "$EMULATOR_PID" ] && kill "$EMULATOR_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export HOME="$WORK/home" EPOS_TRUST_STATE_DIR="$WORK/state"
unset XDG_DATA_HOME XDG_STATE_HOME
DB="$HOME/.local/share/pki/nssdb"
mkdir -p "$DB"
certutil -N --empty-password -d "sql:$DB"

"$EMULATOR_BIN" --address 127.0.0.1 --port 0 >"$WORK/emulator.json" 2>"$WORK/emulator.log" &
EMULATOR_PID=$!
for _ in $(seq 50); do
    [ -s "$WORK/emulator.json" ] && break
    sleep 0.1
done
URL=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$WORK/emulator.json")
SHA=$(sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' "$WORK/emulator.json")

: >"$WORK/times"
i=0
while [ "$i" -lt "$RUNS" ]; do
    start=$(date +%s%N)
    "$HOST_BIN" trust "$URL" --sha256 "$SHA" --yes --json >"$WORK/out.json" || { cat "$WORK/out.json"; exit 1; }
    end=$(date +%s%N)
    grep -q '"outcome": "installed"' "$WORK/out.json" || { cat "$WORK/out.json"; exit 1; }
    echo $(((end - start) / 1000)) >>"$WORK/times"
    "$HOST_BIN" untrust --sha256 "$SHA" >/dev/null
    i=$((i + 1))
done

sort -n "$WORK/times" | awk -v runs="$RUNS" '
    { t[NR] = $1 }
    END {
        printf "trust into one NSS database, fresh process, %d runs: median %.1f ms (min %.1f, p90 %.1f, max %.1f)\n",
               runs, t[int((NR + 1) / 2)] / 1000, t[1] / 1000, t[int(NR * 0.9)] / 1000, t[NR] / 1000
    }'
