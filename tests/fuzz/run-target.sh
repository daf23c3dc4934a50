#!/bin/sh
# One short fuzzing run of a target from its committed seeds (CTest, tests/fuzz/CMakeLists.txt):
#   run-target.sh TARGET_BINARY CORPUS_DIR RUNS [MAX_LEN]   (MAX_LEN default 4096)
# New inputs go to a scratch directory, not into the committed corpus. libFuzzer exits non-zero
# on a crash, a leak, a sanitizer report or a broken invariant, and saves the input under
# ./crash-* (the scratch directory): copy it to tests/fuzz/regressions/<target>/ after fixing.
set -eu
TARGET=$1 CORPUS=$2 RUNS=$3 MAX_LEN=${4:-4096}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/epos-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
mkdir "$SCRATCH/corpus"
cd "$SCRATCH"
if "$TARGET" -runs="$RUNS" -max_len="$MAX_LEN" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$SCRATCH/corpus" "$CORPUS" >"$SCRATCH/log" 2>&1; then
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$SCRATCH/log" || true
    exit 0
fi
cat "$SCRATCH/log"
mkdir -p "${EPOS_FUZZ_ARTIFACTS:-/tmp/epos-fuzz-artifacts}"
cp "$SCRATCH"/crash-* "$SCRATCH"/leak-* "$SCRATCH"/timeout-* "$SCRATCH"/oom-* \
    "${EPOS_FUZZ_ARTIFACTS:-/tmp/epos-fuzz-artifacts}/" 2>/dev/null || true
exit 1
