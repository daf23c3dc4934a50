// The scope of a trust is the printer: a certificate presented at a printer's address that also
// names public sites (the emulator's too-broad shape: www.example-bank.com, *.odoo.com,
// accounts.google.com beside the printer's IP) is shown with its names, judged dangerous, refused
// by trust with nothing written anywhere (checked with certutil, the oracle, and the journal
// file), and an install of one made before the rule is reported by list and doctor and removable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ask, runCli, CHROME_ORIGIN } from '../lib/host.mjs';
import { certutil, makeMachine } from '../faults/lib/machine.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';

const { defer, emulator } = teardownAfterFile();
const PUBLIC = ['www.example-bank.com', '*.odoo.com', 'accounts.google.com'];

// A person's HOME with Chromium's database and one Firefox profile (tests/faults/lib/machine.mjs).
function person() {
  const m = makeMachine({ firefoxProfiles: 1 });
  defer(m.remove);
  return { ...m, firefox: m.firefox[0], journal: m.journalFile };
}

// Every certificate in a database, whoever wrote it: nothing may appear, not only nothing of ours.
const allEntries = (db) =>
  certutil('-L', '-d', `sql:${db}`)
    .split('\n')
    .slice(4)
    .filter((l) => l.trim() !== '');

test('inspect shows every name with its scope, the finding and a dangerous verdict', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.61', shape: 'too-broad' });
  const seen = await ask({ id: 1, cmd: 'inspect', url: printer.url }, { args: [CHROME_ORIGIN], env: p.env });
  assert.equal(seen.ok, true, JSON.stringify(seen));
  assert.deepEqual(seen.result.certificate.names, [
    ...PUBLIC.map((value) => ({ type: 'dns', value, scope: 'public' })),
    { type: 'ip', value: '127.0.0.61', scope: 'local' },
  ]);
  const finding = seen.result.findings.find((f) => f.code === 'names_beyond_printer');
  assert.ok(finding, JSON.stringify(seen.result.findings));
  assert.equal(finding.severity, 'error');
  assert.deepEqual(finding.browsers, ['chrome', 'firefox', 'apple']);
  for (const name of PUBLIC) assert.ok(finding.message.includes(name), finding.message);
  assert.deepEqual(seen.result.verdict, { chrome: 'dangerous', firefox: 'dangerous', apple: 'dangerous' });

  // The printer's own certificate next to it: local names only, no finding.
  const good = await emulator({ address: '127.0.0.62' });
  const fine = await ask({ id: 2, cmd: 'inspect', url: good.url }, { args: [CHROME_ORIGIN], env: p.env });
  assert.deepEqual(fine.result.certificate.names, [{ type: 'ip', value: '127.0.0.62', scope: 'local' }]);
  assert.deepEqual(fine.result.findings, []);
});

test('trust refuses it from Chromium, Firefox and the command line, and writes nothing', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.63', shape: 'too-broad' });
  const before = { chromium: allEntries(p.chromium), firefox: allEntries(p.firefox) };
  for (const args of [[CHROME_ORIGIN], ['/home/x/.mozilla/native-messaging-hosts/com.epos_trust.host.json', 'epos-trust@epos-trust.org']]) {
    const refused = await ask(
      { id: 3, cmd: 'trust', url: printer.url, sha256: printer.sha256 },
      { args, env: p.env },
    );
    assert.equal(refused.ok, false, JSON.stringify(refused));
    assert.equal(refused.error.code, 'certificate_too_broad');
    assert.deepEqual(refused.error.details, { names: PUBLIC });
  }
  const cli = await runCli(['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json'], { env: p.env });
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr + cli.stdout, /certificate_too_broad|public website/);

  assert.deepEqual(allEntries(p.chromium), before.chromium);
  assert.deepEqual(allEntries(p.firefox), before.firefox);
  assert.equal(existsSync(p.journal), false, 'no journal was written');

  // The wrong fingerprint is still reported as such first.
  const wrong = await ask(
    { id: 4, cmd: 'trust', url: printer.url, sha256: '0'.repeat(64) },
    { args: [CHROME_ORIGIN], env: p.env },
  );
  assert.equal(wrong.error.code, 'fingerprint_mismatch');
});

test('an install made before the rule: list marks it too_broad, doctor says untrust, untrust removes it', async () => {
  const p = person();
  const printer = await emulator({ address: '127.0.0.64', shape: 'too-broad' });
  const good = await emulator({ address: '127.0.0.65' });
  // A good printer trusted the normal way, and the too-broad certificate as an older epos-trust
  // would have left it: in Chromium's database under epos-trust's label, and in the journal.
  const trusted = await ask({ id: 5, cmd: 'trust', url: good.url, sha256: good.sha256 }, { args: [CHROME_ORIGIN], env: p.env });
  assert.equal(trusted.ok, true, JSON.stringify(trusted));
  const pem = join(p.home, 'old.pem');
  writeFileSync(pem, printer.pem);
  const nickname = `epos-trust 127.0.0.64 ${printer.sha256.slice(0, 8)}`;
  certutil('-A', '-d', `sql:${p.chromium}`, '-n', nickname, '-t', 'P,,', '-i', pem);
  const journal = JSON.parse(spawnSync('cat', [p.journal], { encoding: 'utf8' }).stdout);
  journal.entries.push({
    sha256: printer.sha256, store: `nss:${p.chromium}`, kind: 'nss', location: p.chromium,
    trust: 'trusted_peer', nickname, address: '127.0.0.64', url: printer.url.replace(/\/$/, ''),
    installed_at: '2026-01-01T00:00:00Z',
  });
  writeFileSync(p.journal, JSON.stringify(journal));

  const listed = await ask({ id: 6, cmd: 'list' }, { args: [CHROME_ORIGIN], env: p.env });
  const bySha = Object.fromEntries(listed.result.entries.map((e) => [e.sha256, e]));
  assert.equal(bySha[printer.sha256].too_broad, true);
  assert.deepEqual(bySha[printer.sha256].public_names, PUBLIC);
  assert.equal(bySha[good.sha256].too_broad, false);
  assert.equal('public_names' in bySha[good.sha256], false);

  const text = await runCli(['list'], { env: p.env });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`TOO BROAD: .*www\\.example-bank\\.com.*epos-trust untrust ${printer.sha256}`));
  assert.doesNotMatch(text.stdout.split(good.sha256)[1].split('\n').slice(0, 2).join('\n'), /TOO BROAD/);

  const doctor = await runCli(['doctor', '--json'], { env: p.env });
  const report = JSON.parse(doctor.stdout);
  const problem = report.problems.find((s) => s.includes('www.example-bank.com'));
  assert.ok(problem, JSON.stringify(report.problems));
  assert.ok(problem.includes(`epos-trust untrust ${printer.sha256}`), problem);
  assert.equal(report.problems.some((s) => s.includes(good.sha256)), false);

  const removed = await runCli(['untrust', printer.sha256, '--json'], { env: p.env });
  assert.equal(removed.status, 0, removed.stderr + removed.stdout);
  assert.equal(allEntries(p.chromium).some((l) => l.includes('127.0.0.64')), false);
  assert.equal(allEntries(p.chromium).some((l) => l.includes('127.0.0.65')), true);
});
