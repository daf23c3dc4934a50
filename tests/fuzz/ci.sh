#!/usr/bin/env bash
# CI step: builds the libFuzzer targets with clang into build-fuzz
# (-DEPOS_FUZZ=ON: libFuzzer + ASan + UBSan) and runs `ctest -L fuzz` there: every kept crash
# input of tests/fuzz/regressions once, then EPOS_FUZZ_RUNS executions (default 20000) of each
# target from the committed seed corpus. A crash fails the step; run-target.sh prints the input.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${EPOS_FUZZ_BUILD_DIR:-build-fuzz}

CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEPOS_FUZZ=ON \
    -DEPOS_WERROR=ON -DEPOS_FUZZ_RUNS="${EPOS_FUZZ_RUNS:-20000}"
cmake --build "$BUILD" -j"$(nproc)" --target native_messaging_fuzz certificate_fuzz target_fuzz \
    policy_fuzz epos_response_fuzz
ctest --test-dir "$BUILD" --output-on-failure -j2 -L '^fuzz$' "$@"
