// Private namespaces for the suites that start browsers, change /etc or fill disks
// (docs/browser-behaviour.md §1). One runner makes them (tests/lib/run-isolated.sh) and one
// variable says what a test got (EPOS_TEST_ISOLATED: "net", "mount", "overlay:/etc", comma
// separated); a suite that needs them either re-runs itself through the runner
// (rerunIsolated) or refuses to start outside them (requireIsolated), never touching the real
// machine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ISOLATION_VARIABLE = 'EPOS_TEST_ISOLATED';
export const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'run-isolated.sh');

const NS_FILE = { net: 'net', mount: 'mnt' };

// True when some ancestor process (unshare execs its command, and node --test runs each file in
// a child) lives in another `kind` namespace than this process: the variable alone could be
// inherited by mistake.
function inOwnNamespace(kind) {
  const file = NS_FILE[kind];
  const mine = readlinkSync(`/proc/self/ns/${file}`);
  let pid = process.ppid;
  while (pid > 1) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/${file}`) !== mine) return true;
      pid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) \S+ /s, '').split(' ')[0]);
    } catch {
      return false;
    }
  }
  return false;
}

// What the runner gave this process: { net, mount, overlays: [dirs] }.
export function isolation() {
  const parts = (process.env[ISOLATION_VARIABLE] ?? '').split(',').filter(Boolean);
  const net = parts.includes('net') && inOwnNamespace('net');
  const mount = parts.includes('mount') && inOwnNamespace('mount');
  const overlays = mount ? parts.filter((p) => p.startsWith('overlay:')).map((p) => p.slice(8)) : [];
  return { net, mount, overlays };
}

// True when this process runs with everything asked for: isolated({ net: true, overlay: '/etc' }).
export function isolated({ net = false, mount = false, overlay } = {}) {
  const got = isolation();
  if (net && !got.net) return false;
  if ((mount || overlay) && !got.mount) return false;
  if (overlay && !got.overlays.includes(overlay)) return false;
  return true;
}

export function requireIsolated(wanted, why = 'it changes the machine') {
  if (!isolated(wanted)) {
    throw new Error(
      `this suite must run inside private namespaces (${JSON.stringify(wanted)}), because ${why}: ` +
        `run it through tests/lib/run-isolated.sh (ctest does, as root); refusing to touch the real machine`,
    );
  }
}

// The runner's options for what is wanted.
export function runnerArgs({ net = false, mount = false, overlays = [] } = {}) {
  return [...(net ? ['--net'] : []), ...(mount ? ['--mount'] : []), ...overlays.flatMap((d) => ['--overlay', d])];
}

// Runs the test file `importMetaUrl` again through the runner (as root) and passes only when the
// inner run passed `expected` tests with none failed or skipped. `env` adds variables.
export function rerunIsolated(importMetaUrl, wanted, { expected, env = {}, timeout = 280000 } = {}) {
  const self = fileURLToPath(importMetaUrl);
  const childEnv = { ...process.env, ...env };
  delete childEnv.NODE_TEST_CONTEXT; // else the inner runner skips the file and "passes"
  const run = spawnSync(
    RUNNER,
    [...runnerArgs(wanted), '--', process.execPath, '--test', '--test-reporter=spec', self],
    { env: childEnv, encoding: 'utf8', timeout },
  );
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  assert.equal(run.status, 0, `the suite failed inside its namespaces (see above)${run.error ? `: ${run.error.message}` : ''}`);
  if (expected !== undefined) assert.match(run.stdout, new RegExp(`ℹ pass ${expected}\\b`));
  assert.match(run.stdout, /ℹ fail 0\b/);
  assert.match(run.stdout, /ℹ skipped 0\b/);
  return run;
}
