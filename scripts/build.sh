#!/usr/bin/env bash
# Builds everything (host, emulator, extension, tests) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f package-lock.json ]; then
    # puppeteer-core never downloads a browser; this keeps other packages from trying.
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEPOS_WERROR=${EPOS_WERROR:-ON}
cmake --build build -j"$(nproc)"
