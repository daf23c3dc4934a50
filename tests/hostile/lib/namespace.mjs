// Guards and mounts for the suites that change /etc/hosts, /etc/resolv.conf or /etc/epos-trust.
// They only ever do it inside a private mount namespace (and, for names, a private network
// with loopback only: docs/browser-behaviour.md §1), which CTest creates with `unshare` (tests/hostile/
// CMakeLists.txt, through tests/lib/run-isolated.sh). Run outside one, they refuse to start
// rather than touch the real /etc.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { requireIsolated } from '../../lib/isolation.mjs';

// kinds: 'mnt' and/or 'net'.
export function requirePrivateNamespaces(kinds) {
  requireIsolated({ mount: kinds.includes('mnt'), net: kinds.includes('net') }, 'it changes /etc');
}

export function mount(...args) {
  const run = spawnSync('mount', args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `mount ${args.join(' ')}: ${run.stderr}`);
}
