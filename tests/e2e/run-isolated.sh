#!/bin/sh
# Runs a command (the end-to-end suites, the flow benchmarks, the demo) in a network namespace
# that has only loopback (docs/browser-behaviour.md §1), with /etc as a private overlay so the
# tests can write browser and host policy files (/etc/chromium/policies, /etc/firefox/policies)
# without touching the real /etc: tests/lib/run-isolated.sh, the one runner. Needs root.
exec "$(dirname "$0")/../lib/run-isolated.sh" --net --overlay /etc -- "$@"
