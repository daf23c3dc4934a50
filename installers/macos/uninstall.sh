#!/bin/sh
# Removes epos-trust from a Mac (run with sudo). macOS has no package uninstaller: this is it.
# NOT RUN ANYWHERE YET (no macOS here).
set -eu
host="/Library/Application Support/epos-trust/epos-trust"
if [ -x "$host" ]; then
    "$host" unregister --system   # only files whose name is epos-trust's
fi
rm -rf "/Library/Application Support/epos-trust"
pkgutil --forget org.epos-trust.host 2>/dev/null || true
