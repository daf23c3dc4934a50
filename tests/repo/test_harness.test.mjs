// The shared test scaffolding of tests/lib keeps its promises: a scratch HOME leaves nothing of
// the person's folders reachable (with XDG_STATE_HOME set, the e2e sandbox once wrote the real
// journal), seeded randomness replays, and the namespace runner gives what it says and nothing
// reaches the real /etc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { isolation, RUNNER } from '../lib/isolation.mjs';
import { seededRandom } from '../lib/random.mjs';
import { makeScratchHome, scratchEnv, USER_DIR_VARIABLES } from '../lib/scratch_home.mjs';
import { makeSandbox } from '../e2e/lib/sandbox.mjs';
import { readText, trackedFiles } from './lib/tracked_files.mjs';

test('a scratch HOME points every per-user folder inside it, whatever the caller had set', () => {
  const caller = {
    PATH: '/usr/bin:/bin',
    XDG_CONFIG_HOME: '/home/ana/.config',
    XDG_DATA_HOME: '/home/ana/.local/share',
    XDG_STATE_HOME: '/home/ana/.local/state',
    XDG_CACHE_HOME: '/home/ana/.cache',
    XDG_RUNTIME_DIR: '/run/user/1000',
    EPOS_TRUST_STATE_DIR: '/home/ana/.local/state/epos-trust',
  };
  const scratch = makeScratchHome('epos-harness');
  try {
    const env = scratchEnv(scratch.home, { base: caller });
    assert.equal(env.HOME, scratch.home);
    assert.equal(env.PATH, caller.PATH, 'other variables pass through when asked for');
    for (const key of USER_DIR_VARIABLES) {
      assert.ok(env[key].startsWith(`${scratch.home}/`), `${key}=${env[key]} is outside the scratch HOME`);
      assert.ok(existsSync(env[key]) || key === 'EPOS_TRUST_STATE_DIR', `${key} exists`);
    }
    assert.equal(statSync(env.XDG_RUNTIME_DIR).mode & 0o777, 0o700);
    assert.equal(env.EPOS_TRUST_STATE_DIR, path.join(scratch.home, '.local/state/epos-trust'));
    assert.equal(scratchEnv(scratch.home, { stateDir: '/x/state' }).EPOS_TRUST_STATE_DIR, '/x/state');
    assert.equal(scratch.env.PATH, undefined, 'nothing of the caller by default');
  } finally {
    scratch.remove();
  }
});

test("the e2e sandbox gives the browser and the host no way to the person's journal", () => {
  const saved = { ...process.env };
  process.env.XDG_STATE_HOME = '/home/ana/.local/state';
  process.env.EPOS_TRUST_STATE_DIR = '/home/ana/.local/state/epos-trust';
  process.env.XDG_DATA_HOME = '/home/ana/.local/share';
  try {
    const sandbox = makeSandbox('chrome', { withHost: false, name: 'harness' });
    try {
      for (const key of USER_DIR_VARIABLES) {
        assert.ok(sandbox.env[key].startsWith(`${sandbox.dir}/`), `${key}=${sandbox.env[key]}`);
      }
    } finally {
      sandbox.remove();
    }
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
});

test('seeded randomness replays the same sequence, and a fresh seed is printed to replay it', () => {
  process.env.EPOS_HARNESS_SEED = '1234567';
  const a = seededRandom('EPOS_HARNESS_SEED');
  const b = seededRandom('EPOS_HARNESS_SEED');
  const first = Array.from({ length: 5 }, a.random);
  assert.deepEqual(Array.from({ length: 5 }, b.random), first);
  assert.ok(first.every((x) => x >= 0 && x < 1));
  assert.equal(a.replay, 'EPOS_HARNESS_SEED=1234567');
  delete process.env.EPOS_HARNESS_SEED;
  const fresh = seededRandom('EPOS_HARNESS_SEED');
  process.env.EPOS_HARNESS_SEED = String(fresh.seed);
  assert.deepEqual(Array.from({ length: 5 }, seededRandom('EPOS_HARNESS_SEED').random), Array.from({ length: 5 }, fresh.random));
  process.env.EPOS_HARNESS_SEED = 'abc';
  assert.throws(() => seededRandom('EPOS_HARNESS_SEED'), /decimal number/);
  delete process.env.EPOS_HARNESS_SEED;
});

test('a forged EPOS_TEST_ISOLATED outside any namespace counts for nothing', () => {
  const saved = process.env.EPOS_TEST_ISOLATED;
  process.env.EPOS_TEST_ISOLATED = 'net,mount,overlay:/etc';
  try {
    assert.deepEqual(isolation(), { net: false, mount: false, overlays: [] });
  } finally {
    if (saved === undefined) delete process.env.EPOS_TEST_ISOLATED;
    else process.env.EPOS_TEST_ISOLATED = saved;
  }
});

test('the runner gives a loopback-only network and a private /etc, and the real /etc is untouched', { skip: process.getuid() !== 0 && 'needs root (CI runs as root)' }, () => {
  const probe = `/etc/epos-harness-probe-${process.pid}`;
  const inner = [
    'import { isolation } from "./tests/lib/isolation.mjs";',
    'import { readFileSync, writeFileSync } from "node:fs";',
    `writeFileSync(${JSON.stringify(probe)}, "x");`,
    // /proc/self/net is this process's network namespace (/sys/class/net is the mount's).
    'const links = readFileSync("/proc/self/net/dev", "utf8").split("\\n").slice(2).filter(Boolean).map((l) => l.split(":")[0].trim());',
    'console.log(JSON.stringify({ got: isolation(), links }));',
  ].join('\n');
  const run = spawnSync(RUNNER, ['--net', '--overlay', '/etc', '--', process.execPath, '--input-type=module', '-e', inner], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
  });
  try {
    assert.equal(run.status, 0, run.stderr);
    const { got, links } = JSON.parse(run.stdout.trim().split('\n').pop());
    assert.deepEqual(got, { net: true, mount: true, overlays: ['/etc'] });
    assert.deepEqual(links, ['lo']);
    assert.equal(existsSync(probe), false, 'the write inside reached the real /etc');
  } finally {
    rmSync(probe, { force: true });
  }
});

// The scaffolding stays one copy: the checks below read every tracked test file and fail where a
// suite grows its own version of what tests/lib gives (the drift that once let the e2e sandbox
// write the person's journal).
const SELF = 'tests/repo/test_harness.test.mjs';
const testSources = () =>
  trackedFiles()
    .filter((f) => f.startsWith('tests/') && /\.(mjs|js|sh)$/.test(f) && f !== SELF)
    .map((f) => [f, readText(f) ?? '']);
// `HOME: <expression>` in an environment object, or a list of XDG_* names to clear.
const OWN_HOME = /(^|[^\w])HOME\s*:\s*(?![\s'"`])|\[\s*'XDG_[A-Z_]+'\s*,/m;
// unshare spawned or run from a shell line, or an overlay mounted.
const OWN_NAMESPACE = /(spawn|exec)\w*\(\s*['"`]unshare['"`]|^\s*(exec\s+)?unshare\s+-|mount\s+-t\s+overlay/m;
const offenders = (re, allowed) =>
  testSources()
    .filter(([f, text]) => !allowed.includes(f) && re.test(text.replace(/^\s*(\/\/|#).*$/gm, '')))
    .map(([f]) => f);

test('one scratch-HOME builder: no test sets HOME to a folder of its own or lists the XDG variables itself', () => {
  // Both are what tests/lib/scratch_home.mjs (scratchEnv, makeScratchHome, makePersonHome) is
  // for. (A literal such as HOME: '/tmp' for a --version call builds nothing.)
  assert.deepEqual(offenders(OWN_HOME, ['tests/lib/scratch_home.mjs']), []);
});

test('one namespace runner: only tests/lib/run-isolated.sh calls unshare or mounts an overlay', () => {
  assert.deepEqual(offenders(OWN_NAMESPACE, ['tests/lib/run-isolated.sh']), []);
});

test('one emulator launcher: only tests/lib/emulator.mjs starts the emulator binary', () => {
  const re = /spawn(Sync)?\(\s*(EMULATOR|paths\.emulator|process\.env\.EPOS_EMULATOR_BIN)\b/;
  assert.deepEqual(offenders(re, ['tests/lib/emulator.mjs']), []);
});

test('random choices replay: no test draws from Math.random (tests/lib/random.mjs logs a seed)', () => {
  assert.deepEqual(offenders(/Math\.random\s*\(/, []), []);
});

test('one https test origin: the e2e servers make their certificates in tests/e2e/lib/test_origin.mjs', () => {
  // The servers a browser suite starts (POS pages, hostile pages) and the certificates it hands
  // the emulator; openssl elsewhere (tests of certificate parsing) is not a server's.
  const re = /['"]req['"],\s*['"]-x509['"]/;
  const e2e = offenders(re, ['tests/e2e/lib/test_origin.mjs', 'tests/e2e/measure_lna.mjs']).filter((f) => f.startsWith('tests/e2e/'));
  assert.deepEqual(e2e, []);
});

test('the checks above see a planted copy', () => {
  assert.ok(OWN_HOME.test('const env = { ...process.env, HOME: home };'));
  assert.ok(OWN_HOME.test("for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME']) delete env[k];"));
  assert.ok(!OWN_HOME.test("env: { ...process.env, HOME: '/tmp' }"));
  assert.ok(!OWN_HOME.test('XDG_CONFIG_HOME: join(home, ".config"),'));
  assert.ok(OWN_NAMESPACE.test("const child = spawn('unshare', ['-m', 'sh', '-c', script]);"));
  assert.ok(OWN_NAMESPACE.test('  unshare -n sh -c "$@"'));
  assert.ok(OWN_NAMESPACE.test('mount -t overlay overlay -o lowerdir=/etc'));
  assert.ok(!OWN_NAMESPACE.test("test('store faults (inside unshare -m)', () => reexecInside(import.meta.url, ['-m'], 6));"));
});
