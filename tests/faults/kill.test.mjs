// The host killed in the middle of a trust or untrust. No hook in the
// shipped binary: (1) SIGKILL at random moments across many runs, spread over the whole span of
// a run (spawn, fetch, journal, each database write); (2) SIGSTOP while the host provably holds
// the journal lock (/proc/locks), a second host queued behind it, then SIGKILL. After every
// kill: each database opens (certutil -L) and passes SQLite's integrity check, every earlier
// entry is intact, and the journal agrees with the databases (README.md, "The invariant").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../lib/host.mjs';
import { seededRandom } from '../lib/random.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';
import { assertConsistent, certutil, listEntries, makeMachine, ownEntries, readJournal } from './lib/machine.mjs';

const HOST = process.env.EPOS_TRUST_BIN;
const RANDOM_KILLS = Number(process.env.EPOS_FAULTS_KILLS ?? 40);
// The kill moments, as fractions of a run's span: EPOS_FAULT_SEED=<seed> replays a sequence
// (the span itself is measured again on each run, so the moments scale with the machine).
const delays = seededRandom('EPOS_FAULT_SEED');
console.log(`# random kill moments: seed ${delays.seed} (replay with ${delays.replay})`);

const { defer, emulator } = teardownAfterFile();

// A machine with an entry someone else made (certutil) and printer `a` trusted by epos-trust.
async function machineWithHistory(a, other) {
  const m = makeMachine({ firefoxProfiles: 2 });
  defer(m.remove);
  const pem = join(m.home, 'other.pem');
  writeFileSync(pem, other.pem);
  for (const db of m.databases) certutil('-A', '-d', `sql:${db}`, '-n', 'Shop other printer', '-t', 'P,,', '-a', '-i', pem);
  const first = await runCli(['trust', a.url, '--sha256', a.sha256, '--yes', '--json'], { env: m.env });
  assert.equal(first.status, 0, first.stdout + first.stderr);
  const earlier = Object.fromEntries(m.databases.map((db) => [db, listEntries(db)]));
  return { m, earlier };
}

const earlierIntact = (m, earlier) => {
  for (const db of m.databases) {
    const now = listEntries(db);
    for (const entry of earlier[db]) assert.ok(now.some((e) => e[0] === entry[0] && e[1] === entry[1]), `${db} lost ${entry}`);
  }
};

function spawnHost(m, args) {
  const child = spawn(HOST, [...args, '--json'], { env: { ...process.env, ...m.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, done };
}

async function timeOf(m, args) {
  const start = process.hrtime.bigint();
  await spawnHost(m, args).done;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

test(`SIGKILL at random moments of ${RANDOM_KILLS} trusts and untrusts: databases intact, journal consistent`, async () => {
  const [a, b, c, other] = await Promise.all(['127.0.0.91', '127.0.0.92', '127.0.0.93', '127.0.0.94'].map(emulator));
  const { m, earlier } = await machineWithHistory(a, other);
  // The span of one whole run, so the kills fall anywhere in it.
  const trustArgs = (p) => ['trust', p.url, '--sha256', p.sha256, '--yes'];
  // (the quickest of three, so a busy machine does not push most kills past the end).
  const spans = [];
  for (let i = 0; i < 3; ++i) {
    spans.push(await timeOf(m, trustArgs(b)), await timeOf(m, ['untrust', '--sha256', b.sha256]));
  }
  const span = Math.min(...spans);
  let killedMidway = 0;
  for (let i = 0; i < RANDOM_KILLS; ++i) {
    const printer = i % 2 ? b : c;
    const args = i % 3 === 2 ? ['untrust', '--sha256', printer.sha256] : trustArgs(printer);
    const run = spawnHost(m, args);
    const delay = delays.random() * span;
    await new Promise((r) => setTimeout(r, delay));
    run.child.kill('SIGKILL');
    const { signal } = await run.done;
    if (signal === 'SIGKILL') killedMidway += 1;
    try {
      await assertConsistent(m, runCli);
      earlierIntact(m, earlier);
    } catch (e) {
      e.message = `kill ${i + 1} (${args[0]}, ${delay.toFixed(2)} ms of ${span.toFixed(1)}; replay with ${delays.replay}): ${e.message}`;
      throw e;
    }
  }
  // Most kills must really have hit a running host, else this proves nothing.
  assert.ok(killedMidway >= RANDOM_KILLS / 3, `only ${killedMidway} of ${RANDOM_KILLS} kills hit a running host`);
  console.log(`# ${killedMidway} of ${RANDOM_KILLS} kills hit a running host (span ${span.toFixed(1)} ms)`);

  // Whatever the kills left, trust completes it and untrust takes all of it away again.
  for (const p of [b, c]) {
    const run = spawnHost(m, trustArgs(p));
    let out = '';
    run.child.stdout.on('data', (d) => (out += d));
    run.child.stderr.on('data', (d) => (out += d));
    const { code, signal } = await run.done;
    assert.equal(code, 0, `final trust of ${p.url}: signal ${signal}: ${out}`);
  }
  await assertConsistent(m, runCli, { exact: true });
  for (const p of [a, b, c]) {
    const gone = await runCli(['untrust', '--sha256', p.sha256, '--json'], { env: m.env, timeoutMs: 60000 });
    assert.equal(gone.status, 0, gone.stdout);
  }
  assert.deepEqual(readJournal(m), []);
  for (const db of m.databases) {
    assert.deepEqual(ownEntries(db), [], db);
    assert.match(certutil('-L', '-d', `sql:${db}`), /Shop other printer\s+P,,/);
  }
});

// The pid holding an flock on `file`, from /proc/locks (inode match), or 0.
function flockHolder(file) {
  const inode = statSync(file).ino;
  for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === 'FLOCK' && f[3] === 'WRITE' && f[5]?.split(':')[2] === String(inode)) return Number(f[4]);
  }
  return 0;
}

test('SIGSTOP while holding the journal lock, a second host waits, SIGKILL: the second finishes, all consistent', async () => {
  const [a, b, other] = await Promise.all(['127.0.0.95', '127.0.0.96', '127.0.0.97'].map(emulator));
  const { m, earlier } = await machineWithHistory(a, other);
  const lockFile = join(m.state, 'journal.lock');
  for (let round = 0; round < 6; ++round) {
    const args = round % 2 ? ['untrust', '--sha256', b.sha256] : ['trust', b.url, '--sha256', b.sha256, '--yes'];
    const first = spawnHost(m, args);
    // Catch it inside the lock: poll /proc/locks as fast as we can.
    let caught = false;
    const deadline = Date.now() + 10000;
    while (!caught && Date.now() < deadline && first.child.exitCode === null) {
      if (flockHolder(lockFile) === first.child.pid) {
        first.child.kill('SIGSTOP');
        caught = flockHolder(lockFile) === first.child.pid;
        if (!caught) first.child.kill('SIGCONT');
      }
    }
    if (!caught) {
      await first.done; // finished before we caught it: try the round again
      round -= 1;
      continue;
    }
    const second = spawnHost(m, args);
    const waited = await Promise.race([second.done.then(() => false), new Promise((r) => setTimeout(() => r(true), 400))]);
    assert.ok(waited, 'a second host went ahead while the first held the journal lock');
    first.child.kill('SIGKILL');
    assert.equal((await first.done).signal, 'SIGKILL');
    const { code } = await second.done;
    assert.equal(code, 0, `the queued ${args[0]} failed after the holder was killed`);
    earlierIntact(m, earlier);
    await assertConsistent(m, runCli, { exact: true });
    const has = ownEntries(m.chromium).some(([nick]) => nick.includes(b.sha256.slice(0, 8)));
    assert.equal(has, args[0] === 'trust');
  }
});

test('an entry under our label the journal lost (journal moved aside) is adopted by the next trust', async () => {
  const [a, other] = await Promise.all(['127.0.0.98', '127.0.0.99'].map(emulator));
  const { m } = await machineWithHistory(a, other);
  renameSync(m.journalFile, `${m.journalFile}.damaged`);
  const again = await runCli(['trust', a.url, '--sha256', a.sha256, '--yes', '--json'], { env: m.env });
  assert.deepEqual(JSON.parse(again.stdout).stores.map((s) => s.outcome), ['already_present', 'already_present', 'already_present']);
  await assertConsistent(m, runCli, { exact: true });
  assert.equal(readJournal(m).length, 3);
  assert.equal((await runCli(['untrust', '--sha256', a.sha256], { env: m.env })).status, 0);
  for (const db of m.databases) assert.deepEqual(ownEntries(db), []);
});
