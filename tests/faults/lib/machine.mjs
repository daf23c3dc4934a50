// A person's machine for the fault and concurrency suites: a fresh HOME holding Chromium's NSS
// database and Firefox profiles, all made by certutil (the oracle, docs/browser-behaviour.md §5 paths), epos-trust's
// journal in that HOME, and the checks every suite makes afterwards: the databases open and pass
// SQLite's integrity check, and the journal agrees with them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolation, rerunIsolated } from '../../lib/isolation.mjs';
import { scratchEnv } from '../../lib/scratch_home.mjs';

export function certutil(...args) {
  const run = spawnSync('certutil', args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `certutil ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

export function makeDatabase(dir) {
  mkdirSync(dir, { recursive: true });
  certutil('-N', '--empty-password', '-d', `sql:${dir}`);
}

// `firefoxProfiles` profiles under ~/.mozilla/firefox, Chromium's ~/.local/share/pki/nssdb.
export function makeMachine({ firefoxProfiles = 2, root = tmpdir() } = {}) {
  const home = mkdtempSync(join(root, 'epos-trust-faults-'));
  const chromium = join(home, '.local/share/pki/nssdb');
  const firefox = Array.from({ length: firefoxProfiles }, (_, i) => join(home, `.mozilla/firefox/p${i}.default`));
  for (const db of [chromium, ...firefox]) makeDatabase(db);
  const state = join(home, 'state');
  const env = scratchEnv(home, { stateDir: state });
  return {
    home,
    chromium,
    firefox,
    databases: [chromium, ...firefox],
    env,
    state,
    journalFile: join(state, 'journal.json'),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}

// Lines of `certutil -L` as [nickname, trust] pairs.
export function listEntries(db) {
  return certutil('-L', '-d', `sql:${db}`)
    .split('\n')
    .slice(4) // header
    .map((line) => line.match(/^(.*\S)\s+(\S*,\S*,\S*)\s*$/))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]);
}

export const ownEntries = (db) => listEntries(db).filter(([nick]) => nick.startsWith('epos-trust '));

export function integrity(db) {
  for (const file of ['cert9.db', 'key4.db']) {
    const check = spawnSync('sqlite3', [join(db, file), 'PRAGMA integrity_check;'], { encoding: 'utf8' });
    assert.equal(check.stdout.trim(), 'ok', `${db}/${file}: ${check.stdout} ${check.stderr}`);
  }
}

// SHA-256 of every file of a folder: "nothing else touched" is compared on these.
export function digestFolder(dir) {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    out[name] = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
  }
  return out;
}

export function readJournal(machine) {
  if (!existsSync(machine.journalFile)) return [];
  return JSON.parse(readFileSync(machine.journalFile, 'utf8')).entries;
}

// The invariant epos-trust keeps through faults and kills (tests/faults/README.md):
//  - every database opens (certutil -L) and passes SQLite's integrity check;
//  - every entry epos-trust wrote into a database is in the journal (so untrust can always take
//    it away again), and at most one per certificate per database;
//  - what `list` reports present is present (certutil -L shows it with the store's trust).
// Returns the journal for further checks.
export async function assertConsistent(machine, runCli, { exact = false } = {}) {
  // epos-trust's own reader first: after a writer was killed, a database may hold a hot rollback
  // journal, which certutil's read-only open cannot roll back (SEC_ERROR_BAD_DATABASE) and
  // sqlite3 would roll back for us. list must cope by itself, as the browser does at its start.
  const listed = await runCli(['list', '--json'], { env: machine.env, timeoutMs: 60000 });
  assert.equal(listed.status, 0, listed.stderr + listed.stdout);
  const entries = JSON.parse(listed.stdout).entries;
  for (const entry of entries) {
    if (existsSync(entry.location)) assert.equal(entry.error, undefined, `list: ${JSON.stringify(entry)}`);
  }
  const journal = readJournal(machine);
  assert.equal(entries.length, journal.length);
  const journaled = new Set(journal.map((e) => `${e.location}|${e.nickname}`));
  for (const db of machine.databases) {
    const own = ownEntries(db);
    integrity(db);
    const nicks = own.map(([nick]) => nick);
    assert.equal(new Set(nicks).size, nicks.length, `${db}: an entry twice: ${nicks}`);
    for (const [nick] of own) {
      assert.ok(journaled.has(`${db}|${nick}`), `${db}: "${nick}" is not in the journal ${JSON.stringify(journal)}`);
    }
  }
  for (const entry of entries) {
    const inDb = ownEntries(entry.location).find(([nick]) => nick === entry.nickname);
    if (entry.present === true) {
      assert.ok(inDb, `list says ${entry.nickname} is in ${entry.location}; certutil does not`);
      assert.equal(inDb[1], entry.trust === 'anchor' ? 'C,,' : 'P,,', `${entry.location}: ${JSON.stringify(listEntries(entry.location))} list: ${JSON.stringify(entries.map((e) => [e.location, e.nickname, e.present]))}`);
    }
    if (exact) {
      assert.equal(entry.present, true, `journal entry not in its database: ${JSON.stringify(entry)}`);
    }
  }
  return journal;
}

// Runs this test file again inside fresh namespaces (`unshare -m` for mounts, `-n` for a network
// with loopback only: docs/browser-behaviour.md §1), as root (CI runs as root). The outer test passes only when the
// inner run passed `expected` tests with none failed or skipped.
export function reexecInside(importMetaUrl, unshareFlags, expected, { timeout = 280000 } = {}) {
  const wanted = { net: unshareFlags.includes('-n'), mount: unshareFlags.includes('-m') };
  rerunIsolated(importMetaUrl, wanted, { expected, timeout });
}

// True in the re-run (tests/lib/isolation.mjs checks the namespaces themselves, not only a flag).
export const inside = () => {
  const got = isolation();
  return got.net || got.mount;
};
