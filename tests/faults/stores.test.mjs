// Faults of one database among several: a read-only, locked, corrupted
// (truncated, garbage) or missing NSS database is a failure of THAT store with its own code, the
// other stores still get the certificate, and the broken database is left byte for byte as it
// was. Real databases made by certutil, the real binary, the bundled emulator; the read-only
// case is a real read-only bind mount, so the whole file runs inside `unshare -m` (root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { teardownAfterFile } from '../lib/teardown.mjs';
import {
  assertConsistent, digestFolder, inside, makeMachine, ownEntries, readJournal, reexecInside,
} from './lib/machine.mjs';

if (!inside()) {
  test('store faults (inside unshare -m)', () => reexecInside(import.meta.url, ['-m'], 6));
} else {
  const { runCli } = await import('../lib/host.mjs');

  const { defer, emulator } = teardownAfterFile();
  const machine = () => {
    const m = makeMachine({ firefoxProfiles: 2 });
    defer(m.remove);
    return m;
  };
  const trust = async (m, printer) => {
    const run = await runCli(['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json'], {
      env: m.env,
      timeoutMs: 60000,
    });
    return { ...run, json: JSON.parse(run.stdout) };
  };

  // Trusts printer A everywhere, breaks the second Firefox profile with `breakIt`, trusts printer B,
  // and checks: B in the two good stores, the broken one failed with `code`, its files unchanged,
  // A still everywhere, journal and databases agree.
  async function oneStoreBroken(addresses, breakIt, code) {
    const m = machine();
    const [a, b] = [await emulator(addresses[0]), await emulator(addresses[1])];
    const first = await trust(m, a);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.deepEqual(first.json.stores.map((s) => s.outcome), ['installed', 'installed', 'installed']);
    const victim = m.firefox[1];
    const restore = (await breakIt(victim)) ?? (() => {});
    try {
      const untouched = digestFolder(victim);
      const run = await trust(m, b);
      assert.equal(run.status, 0, `the good stores must still get it: ${run.stdout}${run.stderr}`);
      const byLocation = Object.fromEntries(run.json.stores.map((s) => [s.location, s]));
      assert.equal(byLocation[m.chromium].outcome, 'installed');
      assert.equal(byLocation[m.firefox[0]].outcome, 'installed');
      assert.equal(byLocation[victim].outcome, 'failed');
      assert.equal(byLocation[victim].code, code, byLocation[victim].reason);
      assert.ok(byLocation[victim].reason.includes(victim), byLocation[victim].reason);
      assert.deepEqual(digestFolder(victim), untouched, 'the broken database was changed');
      const journal = readJournal(m);
      assert.deepEqual(
        journal.filter((e) => e.sha256 === b.sha256).map((e) => e.location).sort(),
        [m.chromium, m.firefox[0]].sort(),
      );
      for (const db of [m.chromium, m.firefox[0]]) assert.equal(ownEntries(db).length, 2, db);
    } finally {
      await restore();
    }
    // Once repaired, the same store takes it and every earlier entry is still there.
    await assertConsistent(m, runCli);
    return { m, a, b, victim };
  }

  test('read-only database (read-only bind mount): store_read_only, others installed', async () => {
    const { m, victim } = await oneStoreBroken(['127.0.0.61', '127.0.0.62'], (dir) => {
      const mount = (...args) => assert.equal(spawnSync('mount', args).status, 0, `mount ${args}`);
      mount('--bind', dir, dir);
      mount('-o', 'remount,ro,bind', dir);
      return () => assert.equal(spawnSync('umount', [dir]).status, 0);
    }, 'store_read_only');
    assert.equal(ownEntries(victim).length, 1, 'printer A is still in the database that was read-only');
    assert.equal(readJournal(m).length, 5);
  });

  test('locked database (sqlite3 holds BEGIN EXCLUSIVE): store_locked, others installed', async () => {
    let holder;
    await oneStoreBroken(['127.0.0.63', '127.0.0.64'], async (dir) => {
      holder = spawn('sqlite3', [join(dir, 'cert9.db')], { stdio: ['pipe', 'pipe', 'inherit'] });
      holder.stdin.write('BEGIN EXCLUSIVE;\nSELECT count(*) FROM nssPublic;\n');
      await new Promise((done) => holder.stdout.once('data', done)); // the lock is held now
      return () =>
        new Promise((done) => {
          holder.once('exit', done);
          holder.stdin.end(); // sqlite3 rolls back and exits
        });
    }, 'store_locked');
  });

  test('garbage cert9.db: store_corrupt, others installed', async () => {
    let saved;
    await oneStoreBroken(['127.0.0.65', '127.0.0.66'], (dir) => {
      const file = join(dir, 'cert9.db');
      saved = readFileSync(file);
      writeFileSync(file, randomBytes(saved.length));
      return () => writeFileSync(file, saved);
    }, 'store_corrupt');
  });

  test('truncated cert9.db (half its pages gone): store_corrupt, others installed', async () => {
    let saved;
    await oneStoreBroken(['127.0.0.67', '127.0.0.68'], (dir) => {
      const file = join(dir, 'cert9.db');
      saved = readFileSync(file);
      truncateSync(file, Math.floor(statSync(file).size / 2));
      return () => writeFileSync(file, saved);
    }, 'store_corrupt');
  });

  test('missing key4.db: store_missing, nothing created there', async () => {
    let saved;
    await oneStoreBroken(['127.0.0.69', '127.0.0.70'], (dir) => {
      const file = join(dir, 'key4.db');
      saved = readFileSync(file);
      rmSync(file);
      return () => writeFileSync(file, saved);
    }, 'store_missing');
  });

  test('a database removed after trust: list and untrust report store_missing, journal keeps it', async () => {
    const m = machine();
    const printer = await emulator('127.0.0.71');
    const trusted = await trust(m, printer);
    assert.equal(trusted.status, 0, trusted.stdout);
    const gone = m.firefox[1];
    rmSync(gone, { recursive: true });
    const listed = JSON.parse((await runCli(['list', '--json'], { env: m.env })).stdout).entries;
    const missing = listed.find((e) => e.location === gone);
    assert.equal(missing.present, null);
    assert.equal(missing.error.code, 'store_missing');
    const untrusted = await runCli(['untrust', '--sha256', printer.sha256, '--json'], { env: m.env });
    const outcomes = Object.fromEntries(JSON.parse(untrusted.stdout).stores.map((s) => [s.location, s]));
    assert.equal(outcomes[m.chromium].outcome, 'removed');
    assert.equal(outcomes[m.firefox[0]].outcome, 'removed');
    assert.equal(outcomes[gone].outcome, 'failed');
    assert.equal(outcomes[gone].code, 'store_missing');
    // What could not be removed stays journaled (it may come back: a restored backup), and no
    // database was created where the profile was.
    assert.deepEqual(readJournal(m).map((e) => e.location), [gone]);
    assert.equal(spawnSync('test', ['-e', gone]).status, 1, 'epos-trust created a database');
    for (const db of [m.chromium, m.firefox[0]]) assert.equal(ownEntries(db).length, 0);
  });
}
