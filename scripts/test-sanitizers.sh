#!/usr/bin/env bash
# CI step: the C++ unit tests, the hostile-input catalogue and the
# integration tests that drive the binary over stdio, all against a build with AddressSanitizer
# and UndefinedBehaviorSanitizer (-DEPOS_SANITIZE=ON) in build-asan. Any sanitizer report aborts
# the process (-fno-sanitize-recover=all, abort_on_error), which fails its test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${EPOS_ASAN_BUILD_DIR:-build-asan}

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEPOS_SANITIZE=ON -DEPOS_WERROR=ON
cmake --build "$BUILD" -j"$(nproc)" --target epos-trust epos-emulator epos_unit_tests epos_hostile_tests

# Leaks count too (LeakSanitizer is part of ASan on Linux). The emulator is test scaffolding
# stopped by SIGTERM; its exit status is not checked by the suites.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$BUILD" --output-on-failure -j2 --timeout 900 -L '^(unit|hostile)$' "$@"
ctest --test-dir "$BUILD" --output-on-failure -j2 --timeout 900 -R '^integration_(stdio|inspect|protocol_doc)$' "$@"
