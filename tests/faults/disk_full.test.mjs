// Disk full for the journal: epos-trust's state folder on a tiny tmpfs
// filled to the last page (a real ENOSPC, inside `unshare -m`). A trust then fails with
// journal_unwritable and a sentence a person can act on, the old journal is intact byte for
// byte, and NO store received the certificate: trust journals ahead of writing the stores
// (write-ahead, see README.md), so a store entry is never left that untrust would not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { teardownAfterFile } from '../lib/teardown.mjs';
import { assertConsistent, inside, makeMachine, ownEntries, readJournal, reexecInside } from './lib/machine.mjs';

// Fills the file system holding `dir` until the kernel says ENOSPC.
function fill(dir) {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 0x61);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    assert.equal(e.code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  // Small files too, until not even one byte fits (tmpfs counts pages).
  for (let i = 0; ; ++i) {
    try {
      const f = openSync(join(dir, `filler-${i}`), 'w');
      try {
        writeSync(f, Buffer.alloc(1));
      } finally {
        closeSync(f);
      }
    } catch (e) {
      assert.ok(['ENOSPC', 'EDQUOT'].includes(e.code), e.message);
      return;
    }
  }
}
const unfill = (dir) => {
  for (const name of readdirSync(dir)) if (name.startsWith('filler')) rmSync(join(dir, name));
};

if (!inside()) {
  test('journal on a full disk (inside unshare -m)', () => reexecInside(import.meta.url, ['-m'], 2));
} else {
  const { runCli } = await import('../lib/host.mjs');
  const { defer, emulator } = teardownAfterFile();
  // A machine whose journal lives on its own 64 KiB tmpfs.
  const machine = () => {
    const m = makeMachine({ firefoxProfiles: 2 });
    mkdirSync(m.state, { recursive: true });
    assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', m.state]).status, 0);
    defer(() => {
      spawnSync('umount', [m.state]);
      m.remove();
    });
    return m;
  };
  const cli = async (m, ...args) => {
    const run = await runCli([...args, '--json'], { env: m.env, timeoutMs: 60000 });
    return { ...run, json: JSON.parse(run.stdout) };
  };

  test('trust on a full disk: journal_unwritable, old journal intact, no store written', async () => {
    const m = machine();
    const [a, b] = [await emulator('127.0.0.81'), await emulator('127.0.0.82')];
    const first = await cli(m, 'trust', a.url, '--sha256', a.sha256, '--yes');
    assert.equal(first.status, 0, first.stdout);
    const journalBefore = readFileSync(m.journalFile);

    fill(m.state);
    const refused = await cli(m, 'trust', b.url, '--sha256', b.sha256, '--yes');
    assert.notEqual(refused.status, 0);
    assert.equal(refused.json.error.code, 'journal_unwritable', refused.stdout);
    assert.match(refused.json.error.message, /No space left on device/);
    assert.match(refused.json.error.message, /disk is not full/);
    assert.deepEqual(readFileSync(m.journalFile), journalBefore, 'the old journal was changed');
    assert.deepEqual(readdirSync(m.state).filter((n) => n.includes('.tmp')), [], 'a temporary file was left');
    for (const db of m.databases) {
      assert.deepEqual(ownEntries(db).map(([nick]) => nick), [`epos-trust 127.0.0.81 ${a.sha256.slice(0, 8)}`], db);
    }
    // Listing needs no space, and says what is really there.
    await assertConsistent(m, runCli, { exact: true });

    unfill(m.state);
    const later = await cli(m, 'trust', b.url, '--sha256', b.sha256, '--yes');
    assert.equal(later.status, 0, later.stdout);
    assert.deepEqual(later.json.stores.map((s) => s.outcome), ['installed', 'installed', 'installed']);
    assert.equal((await assertConsistent(m, runCli, { exact: true })).length, 6);
  });

  test('untrust on a full disk: journal_unwritable, the journal still names what it removed, a second untrust finishes', async () => {
    const m = machine();
    const a = await emulator('127.0.0.83');
    assert.equal((await cli(m, 'trust', a.url, '--sha256', a.sha256, '--yes')).status, 0);
    const journalBefore = readFileSync(m.journalFile);
    fill(m.state);
    const refused = await cli(m, 'untrust', '--sha256', a.sha256);
    assert.equal(refused.json.error.code, 'journal_unwritable', refused.stdout);
    assert.deepEqual(readFileSync(m.journalFile), journalBefore);
    // The stores were emptied first (trust removed is the safe side); the journal, unchanged,
    // names them, so list says "not present" and nothing is out of epos-trust's reach.
    for (const db of m.databases) assert.equal(ownEntries(db).length, 0, db);
    const listed = await cli(m, 'list');
    assert.deepEqual(listed.json.entries.map((e) => e.present), [false, false, false]);
    await assertConsistent(m, runCli);
    unfill(m.state);
    const again = await cli(m, 'untrust', '--sha256', a.sha256);
    assert.equal(again.status, 0, again.stdout);
    assert.deepEqual(again.json.stores.map((s) => s.outcome), ['not_present', 'not_present', 'not_present']);
    assert.deepEqual(readJournal(m), []);
  });
}
