#!/bin/sh
# The one way a test gets private namespaces (docs/browser-behaviour.md §1): runs CMD inside
#   --net            a network namespace with only loopback (up), so nothing a browser or a test
#                    does on its own can leave the machine;
#   --mount          a private mount namespace (mounts made here are not seen outside);
#   --overlay DIR    DIR as an overlay of itself (implies --mount): writes land in a scratch
#                    folder, removed afterwards, and the real DIR is never touched. Repeatable.
#   --keep SCRATCH   put the overlays' writes in SCRATCH/<name of DIR>/upper and keep them, for a
#                    test that looks at what was written (the package test's leftovers).
# and tells the test what it got in EPOS_TEST_ISOLATED (e.g. "net,mount,overlay:/etc"), which
# tests/lib/isolation.mjs reads together with /proc to be sure. Needs root (CI runs as root).
#
#   tests/lib/run-isolated.sh --net --overlay /etc -- node --test tests/e2e/chromium.test.mjs
set -eu
net=0 mnt=0 overlays="" keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --net) net=1 ;;
        --mount) mnt=1 ;;
        --overlay) mnt=1; overlays="$overlays $2"; shift ;;
        --keep) keep=$2; shift ;;
        --) shift; break ;;
        -*) echo "run-isolated.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
    shift
done
[ $# -gt 0 ] || { echo "usage: run-isolated.sh [--net] [--mount] [--overlay DIR]... -- CMD..." >&2; exit 2; }
[ $net = 1 ] || [ $mnt = 1 ] || { echo "run-isolated.sh: ask for --net, --mount or --overlay" >&2; exit 2; }

kinds=""
flags=""
[ $net = 0 ] || { kinds="net"; flags="--net"; }
[ $mnt = 0 ] || { kinds="${kinds:+$kinds,}mount"; flags="$flags --mount"; }
for d in $overlays; do kinds="$kinds,overlay:$d"; done

if [ -n "$keep" ]; then
    scratch=$keep
else
    scratch=$(mktemp -d /tmp/epos-isolated-XXXXXX)
    trap 'rm -rf "$scratch"' EXIT INT TERM
fi
# shellcheck disable=SC2086 # $flags is a list of options
unshare $flags sh -c '
    set -eu
    scratch=$1 net=$2 mnt=$3 overlays=$4 kinds=$5
    shift 5
    if [ "$mnt" = 1 ]; then mount --make-rprivate /; fi
    if [ "$net" = 1 ]; then ip link set lo up; fi
    for d in $overlays; do
        name=$(echo "$d" | sed "s|^/||; s|/|_|g")
        mkdir -p "$scratch/$name/upper" "$scratch/$name/work"
        mount -t overlay overlay -o "lowerdir=$d,upperdir=$scratch/$name/upper,workdir=$scratch/$name/work" "$d"
    done
    export EPOS_TEST_ISOLATED="$kinds"
    exec "$@"
' sh "$scratch" "$net" "$mnt" "$overlays" "$kinds" "$@"
