#!/usr/bin/env bash
# The main job: install, build, start the bundled ePOS printer emulator (where no printer is
# around), show what epos-trust says about it, then the whole flow in the browsers: with a display,
# a Chromium window with the extension at the printer's address; without one, real headless
# Chromium and Firefox ESR trusting the emulator, with the result printed.
# Pass a printer URL to inspect a real printer instead (no browser flow then):
#   scripts/demo.sh https://192.168.1.25
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

target=${1:-}
emulator_pid=
cleanup() { [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "$target" ]; then
    info=$(mktemp)
    build/tests/emulator/epos-emulator --address 127.0.0.25 --port 0 --shape good >"$info" 2>/dev/null &
    emulator_pid=$!
    for _ in $(seq 50); do [ -s "$info" ] && break; sleep 0.1; done
    target=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$info")
    echo "== Started the bundled ePOS printer emulator at $target"
fi

echo "== epos-trust inspect $target"
build/host/epos-trust inspect "$target"

if [ -n "${1:-}" ]; then
    exit 0
fi
cleanup
emulator_pid=
if [ -n "${DISPLAY:-}" ]; then
    echo "== The browser flow, in a Chromium window with the extension"
    node tests/e2e/demo.mjs --show
else
    echo "== The browser flow, headless, in a loopback-only network namespace"
    tests/e2e/run-isolated.sh node tests/e2e/demo.mjs
fi
