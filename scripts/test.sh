#!/usr/bin/env bash
# The one test command (README, and CI's .ci/run): install what is needed, build, run every test
# of the repository through CTest; then the C++ tests again under ASan+UBSan, and the fuzz
# targets for a short run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j2 --timeout 900 "$@"
scripts/test-sanitizers.sh
tests/fuzz/ci.sh
