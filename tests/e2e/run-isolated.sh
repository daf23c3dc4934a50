#!/bin/sh
# Runs a command (the end-to-end suites) as docs/browser-behaviour.md §1 asks: in a network namespace that has only
# loopback, so nothing a browser does on its own can leave the machine; and with a private overlay
# over /etc, so the tests can write browser and host policy files (/etc/chromium/policies,
# /etc/firefox/policies) without touching the real /etc. Needs root (CI runs as root).
set -eu
overlay=$(mktemp -d /tmp/epos-e2e-etc-XXXXXX)
mkdir -p "$overlay/upper" "$overlay/work"
trap 'rm -rf "$overlay"' EXIT INT TERM
unshare --net --mount sh -c '
    set -eu
    ip link set lo up
    mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
    shift
    export EPOS_E2E_ISOLATED=1
    exec "$@"
' sh "$overlay" "$@"
