// trust / untrust / list through the real binary, over native messaging and the CLI, against the
// bundled emulator and NSS databases made by certutil (the oracle). No browser here: see
// trust_browsers.test.mjs for the real browsers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ask, runCli, CHROME_ORIGIN, HOST } from '../lib/host.mjs';
import { certutil, makeMachine } from '../faults/lib/machine.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';

const { defer, emulator } = teardownAfterFile();

// A person's HOME with Chromium's database and one Firefox profile (tests/faults/lib/machine.mjs).
function person() {
  const m = makeMachine({ firefoxProfiles: 1 });
  defer(m.remove);
  return { ...m, firefox: m.firefox[0], journal: m.journalFile };
}

const ourEntries = (db) => certutil('-L', '-d', `sql:${db}`).split('\n').filter((l) => l.startsWith('epos-trust '));

test('native messaging from Chromium: trust, list, untrust touch Chromium\'s database only', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.41' });
  const opts = { args: [CHROME_ORIGIN], env: p.env };

  const trusted = await ask({ id: 1, cmd: 'trust', url: printer.url, sha256: printer.sha256 }, opts);
  assert.equal(trusted.ok, true, JSON.stringify(trusted));
  assert.equal(trusted.result.sha256, printer.sha256);
  assert.deepEqual(
    trusted.result.stores.map((s) => [s.location, s.outcome, s.trust, s.effective]),
    [[p.chromium, 'installed', 'trusted_peer', 'now']],
  );
  assert.equal(trusted.result.restart_needed, false);
  assert.equal(trusted.result.firefox_flush_module, null);
  assert.equal(ourEntries(p.chromium).length, 1);
  assert.match(ourEntries(p.chromium)[0], /^epos-trust 127\.0\.0\.41 \S+\s+P,,\s*$/);
  assert.equal(ourEntries(p.firefox).length, 0);

  const seen = await ask({ id: 11, cmd: 'inspect', url: printer.url }, opts);
  assert.deepEqual(seen.result.trusted, { journal: true, stores: [`nss:${p.chromium}`] });

  const again = await ask({ id: 2, cmd: 'trust', url: printer.url, sha256: printer.sha256.toUpperCase() }, opts);
  assert.equal(again.result.stores[0].outcome, 'already_present');

  const listed = await ask({ id: 3, cmd: 'list' }, opts);
  assert.equal(listed.result.entries.length, 1);
  const entry = listed.result.entries[0];
  assert.equal(entry.sha256, printer.sha256);
  assert.equal(entry.address, '127.0.0.41');
  assert.equal(entry.url, printer.url.replace(/\/$/, ''));
  assert.equal(entry.store, `nss:${p.chromium}`);
  assert.equal(entry.present, true);

  const removed = await ask({ id: 4, cmd: 'untrust', sha256: printer.sha256 }, opts);
  assert.deepEqual(removed.result.stores.map((s) => s.outcome), ['removed']);
  assert.equal(ourEntries(p.chromium).length, 0);
  const gone = await ask({ id: 12, cmd: 'inspect', url: printer.url }, opts);
  assert.deepEqual(gone.result.trusted, { journal: false, stores: [] });
  const twice = await ask({ id: 5, cmd: 'untrust', sha256: printer.sha256 }, opts);
  assert.equal(twice.ok, false);
  assert.equal(twice.error.code, 'not_trusted');
});

test('a different certificate than the one confirmed is refused and nothing is installed', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.42' });
  const other = await emulator({ address: '127.0.0.43' });
  const reply = await ask({ id: 1, cmd: 'trust', url: printer.url, sha256: other.sha256 }, { env: p.env });
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, 'fingerprint_mismatch');
  assert.equal(reply.error.details.presented_sha256, printer.sha256);
  assert.equal(ourEntries(p.chromium).length, 0);
  assert.equal(existsSync(p.journal), false);
});

test('a certificate no browser can use is refused with its findings', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.44', shape: 'no-san' });
  const cli = await runCli(['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json'], { env: p.env });
  assert.equal(cli.status, 1);
  const { error } = JSON.parse(cli.stdout);
  assert.equal(error.code, 'certificate_unusable');
  assert.ok(error.details.findings.some((f) => f.code === 'san_missing'));
  assert.equal(error.details.stores.length, 2);
  assert.ok(error.details.stores.every((s) => s.code === 'certificate_unusable'));
  assert.equal(ourEntries(p.chromium).length + ourEntries(p.firefox).length, 0);
});

test('a CA:TRUE printer certificate: Chromium gets a trusted peer, Firefox is never given an anchor', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.45', shape: 'ca-true' });
  const cli = await runCli(['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json'], { env: p.env });
  assert.equal(cli.status, 0, cli.stderr + cli.stdout);
  const { stores } = JSON.parse(cli.stdout);
  const byLocation = Object.fromEntries(stores.map((s) => [s.location, s]));
  assert.equal(byLocation[p.chromium].outcome, 'installed');
  assert.equal(byLocation[p.firefox].outcome, 'failed');
  assert.equal(byLocation[p.firefox].code, 'certificate_unusable');
  assert.equal(ourEntries(p.firefox).length, 0);
});

test('bad requests and a machine without any browser database', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.46' });
  const short = await ask({ id: 1, cmd: 'trust', url: printer.url, sha256: 'abc' }, { env: p.env });
  assert.equal(short.error.code, 'bad_request');
  const noUrl = await ask({ id: 2, cmd: 'trust', sha256: printer.sha256 }, { env: p.env });
  assert.equal(noUrl.error.code, 'bad_request');
  const untrustBad = await ask({ id: 3, cmd: 'untrust', sha256: 42 }, { env: p.env });
  assert.equal(untrustBad.error.code, 'bad_request');

  const bare = mkdtempSync(join(tmpdir(), 'epos-trust-bare-'));
  defer(() => rmSync(bare, { recursive: true, force: true }));
  const none = await ask(
    { id: 4, cmd: 'trust', url: printer.url, sha256: printer.sha256 },
    { env: scratchEnv(bare, { stateDir: join(bare, 'state') }) },
  );
  assert.equal(none.error.code, 'no_store');
  assert.equal(existsSync(join(bare, '.local/share/pki')), false, 'a database was created');

  const notTty = await runCli(['trust', printer.url, '--sha256', printer.sha256], { env: p.env });
  assert.equal(notTty.status, 2, 'no --yes and no terminal must not install');
  assert.equal(ourEntries(p.chromium).length, 0);
});

test('20 concurrent trusts from separate processes: one entry per store, databases intact', async () => {
  const p = person();
  const other = await emulator({ address: '127.0.0.48' });
  const otherPem = join(p.home, 'other.pem');
  writeFileSync(otherPem, other.pem);
  certutil('-A', '-d', `sql:${p.chromium}`, '-n', 'Other printer', '-t', 'P,,', '-a', '-i', otherPem);
  const printer = await emulator({ address: '127.0.0.47' });

  const runs = await Promise.all(
    Array.from({ length: 20 }, () =>
      runCli(['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json'], { env: p.env, timeoutMs: 60000 }),
    ),
  );
  for (const run of runs) assert.equal(run.status, 0, run.stderr + run.stdout);
  const outcomes = runs.map((r) => JSON.parse(r.stdout).stores.map((s) => s.outcome).join(','));
  assert.equal(outcomes.filter((o) => o === 'installed,installed').length, 1, outcomes.join(' '));

  const journal = JSON.parse(readFileSync(p.journal, 'utf8'));
  assert.deepEqual(journal.entries.map((e) => e.store).sort(), [`nss:${p.chromium}`, `nss:${p.firefox}`].sort());
  assert.equal(ourEntries(p.chromium).length, 1);
  assert.equal(ourEntries(p.firefox).length, 1);
  assert.match(certutil('-L', '-d', `sql:${p.chromium}`), /Other printer\s+P,,/);
  for (const db of [p.chromium, p.firefox]) {
    const check = spawnSync('sqlite3', [join(db, 'cert9.db'), 'PRAGMA integrity_check;'], { encoding: 'utf8' });
    assert.equal(check.stdout.trim(), 'ok', `${db}: ${check.stderr}`);
  }
});

test('the Firefox flush module loads in NSS and offers no slot', () => {
  const p = person();
  const module = join(dirname(HOST), 'pkcs11', 'libepos_trust_flush.so');
  assert.ok(existsSync(module), `${module} was not built`);
  const modutil = (...args) => spawnSync('modutil', ['-force', '-dbdir', `sql:${p.firefox}`, ...args], { encoding: 'utf8' });
  const added = modutil('-add', 'epos_trust_flush', '-libfile', module);
  assert.equal(added.status, 0, added.stdout + added.stderr);
  const described = modutil('-list', 'epos_trust_flush');
  assert.equal(described.status, 0, described.stdout + described.stderr);
  assert.match(described.stdout, /epos-trust Firefox trust flush/);
  const listed = modutil('-list').stdout;
  const ours = listed.slice(listed.indexOf('epos_trust_flush'));
  assert.match(ours, /slots: There are no slots attached to this module/);
  assert.match(ours, /status: loaded/);
  assert.equal(modutil('-delete', 'epos_trust_flush').status, 0);
  const manifest = JSON.parse(
    readFileSync(new URL('../../manifests/epos_trust_flush.pkcs11.json.in', import.meta.url), 'utf8'),
  );
  assert.equal(manifest.type, 'pkcs11');
  assert.equal(manifest.name, 'epos_trust_flush'); // the name trust replies as firefox_flush_module
});
