// Guards and mounts for the suites that change /etc/hosts, /etc/resolv.conf or /etc/epos-trust.
// They only ever do it inside a private mount namespace (and, for names, a private network
// with loopback only: docs/browser-behaviour.md §1), which CTest creates with `unshare` (tests/hostile/
// CMakeLists.txt). Run outside one, they refuse to start rather than touch the real /etc.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';

// True when some ancestor process (ctest, a shell: unshare execs its command, and node --test
// runs each file in a child) lives in another `kind` namespace than this process.
function insidePrivate(kind) {
  const mine = readlinkSync(`/proc/self/ns/${kind}`);
  let pid = process.ppid;
  while (pid > 1) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/${kind}`) !== mine) return true;
      pid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) \S+ /s, '').split(' ')[0]);
    } catch {
      return false;
    }
  }
  return false;
}

export function requirePrivateNamespaces(kinds) {
  for (const kind of kinds) {
    if (!insidePrivate(kind) || process.env.EPOS_HOSTILE_NAMESPACE !== '1') {
      throw new Error(
        `this suite must run inside a private ${kind} namespace (ctest runs it through unshare as root); refusing to touch the real /etc`,
      );
    }
  }
}

export function mount(...args) {
  const run = spawnSync('mount', args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `mount ${args.join(' ')}: ${run.stderr}`);
}
