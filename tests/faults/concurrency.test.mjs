// Concurrency: 50 trust/untrust processes started at once for three
// printers (three emulators on 127.0.0.x) against Chromium's database and two Firefox profiles.
// At the end: one entry per trusted printer per database, every database intact (certutil -L,
// PRAGMA integrity_check), and the journal equal to the databases, entry for entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../lib/host.mjs';
import { startEmulator } from '../lib/emulator.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';
import { assertConsistent, makeMachine, ownEntries, readJournal } from './lib/machine.mjs';

const { defer } = teardownAfterFile();

test('50 concurrent trust/untrust of 3 printers into Chromium + 2 Firefox profiles', async () => {
  const m = makeMachine({ firefoxProfiles: 2 });
  defer(m.remove);
  const printers = await Promise.all(['127.0.0.101', '127.0.0.102', '127.0.0.103'].map((address) => startEmulator({ address })));
  for (const p of printers) defer(() => p.stop());
  const [a, b, c] = printers;
  const trustArgs = (p) => ['trust', p.url, '--sha256', p.sha256, '--yes', '--json'];
  const untrustArgs = (p) => ['untrust', '--sha256', p.sha256, '--json'];
  // a: only trusts (must end trusted exactly once per database); b and c: trusts and untrusts
  // interleaved (each must end all-or-nothing, as the journal says).
  const ops = [];
  for (let i = 0; i < 50; ++i) {
    if (i % 5 === 0 || i % 5 === 3) ops.push({ printer: a, args: trustArgs(a) });
    else if (i % 5 === 1) ops.push({ printer: b, args: i % 2 ? trustArgs(b) : untrustArgs(b) });
    else if (i % 5 === 2) ops.push({ printer: c, args: i % 4 === 2 ? untrustArgs(c) : trustArgs(c) });
    else ops.push({ printer: i % 3 ? b : c, args: trustArgs(i % 3 ? b : c) });
  }
  const started = Date.now();
  const runs = await Promise.all(ops.map((op) => runCli(op.args, { env: m.env, timeoutMs: 120000 })));
  const elapsed = Date.now() - started;
  console.log(`# 50 processes finished in ${elapsed} ms`);

  let installedA = 0;
  for (const [i, run] of runs.entries()) {
    const reply = JSON.parse(run.stdout);
    if (reply.error) {
      // The only acceptable failure: an untrust that ran before any trust of its printer.
      assert.equal(ops[i].args[0], 'untrust', run.stdout);
      assert.equal(reply.error.code, 'not_trusted', run.stdout);
      continue;
    }
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const store of reply.stores) assert.notEqual(store.outcome, 'failed', JSON.stringify(store));
    if (ops[i].printer === a) installedA += reply.stores.filter((s) => s.outcome === 'installed').length;
  }
  assert.equal(installedA, 3, 'printer a was installed more than once somewhere');

  const journal = await assertConsistent(m, runCli);
  // Exactly equal: every journal entry is in its database and every database entry is journaled.
  const inDatabases = m.databases.flatMap((db) => ownEntries(db).map(([nick]) => `${db}|${nick}`)).sort();
  assert.deepEqual(journal.map((e) => `${e.location}|${e.nickname}`).sort(), inDatabases);
  for (const p of printers) {
    const nick = (db) => ownEntries(db).filter(([n]) => n.endsWith(p.sha256.slice(0, 8)));
    const counts = m.databases.map((db) => nick(db).length);
    assert.ok(counts.every((n) => n === counts[0]) && counts[0] <= 1, `${p.url}: ${counts}`);
    if (p === a) assert.deepEqual(counts, [1, 1, 1]);
  }
  assert.equal(readJournal(m).filter((e) => e.sha256 === a.sha256).length, 3);
});
