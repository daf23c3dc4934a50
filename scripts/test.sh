#!/usr/bin/env bash
# The one test command (README, and CI's .ci/run): install what is needed, build, run every test
# of the repository through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j2 --timeout 900 "$@"
