// export-cert: the printer's certificate for tablets, checked by parsing what was written with
// the tools a person's machine has (openssl x509 for the Android .crt, Python's plistlib for the
// iOS/iPadOS .mobileconfig), not on a device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ask, runCli, CHROME_ORIGIN } from '../lib/host.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';

const { defer, emulator } = teardownAfterFile();

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'epos-trust-export-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, env: scratchEnv(dir, { stateDir: join(dir, 'state') }) };
}

function opensslFingerprint(file) {
  const run = spawnSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('=')[1].replaceAll(':', '').toLowerCase();
}

// The profile as iOS would read it: plistlib, then the DER of its one payload hashed.
function readProfile(file) {
  const script = `
import hashlib, json, plistlib, sys
with open(sys.argv[1], 'rb') as f:
    p = plistlib.load(f)
c = p['PayloadContent']
print(json.dumps({
  'type': p['PayloadType'], 'uuid': p['PayloadUUID'], 'identifier': p['PayloadIdentifier'],
  'name': p['PayloadDisplayName'], 'version': p['PayloadVersion'], 'count': len(c),
  'payload_type': c[0]['PayloadType'], 'payload_uuid': c[0]['PayloadUUID'],
  'payload_identifier': c[0]['PayloadIdentifier'], 'payload_name': c[0]['PayloadDisplayName'],
  'der_sha256': hashlib.sha256(c[0]['PayloadContent']).hexdigest(),
}))`;
  const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-8[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;

test('the command line writes a profile and a .crt that parse back to the printer\'s certificate', async () => {
  const s = scratch();
  const printer = await emulator({ address: '127.0.0.71' });
  const run = await runCli(['export-cert', printer.url, '--out', s.dir, '--sha256', printer.sha256.toUpperCase()], { env: s.env });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const crt = join(s.dir, 'epos-printer-127.0.0.71.crt');
  const profile = join(s.dir, 'epos-printer-127.0.0.71.mobileconfig');
  assert.equal(opensslFingerprint(crt), printer.sha256);
  assert.equal(readFileSync(crt, 'utf8'), printer.pem);

  const p = readProfile(profile);
  assert.equal(p.type, 'Configuration');
  assert.equal(p.count, 1);
  assert.equal(p.payload_type, 'com.apple.security.root');
  assert.equal(p.der_sha256, printer.sha256);
  assert.equal(p.name, 'Receipt printer 127.0.0.71');
  assert.equal(p.payload_name, 'Receipt printer 127.0.0.71');
  assert.match(p.uuid, UUID);
  assert.match(p.payload_uuid, UUID);
  assert.notEqual(p.uuid, p.payload_uuid);
  assert.equal(p.identifier, `org.epos-trust.printer.${printer.sha256.slice(0, 16)}`);
  assert.equal(p.version, 1);

  // What the person reads: the fingerprint and both platforms' steps, the iOS switch included.
  assert.ok(run.stdout.includes(printer.sha256), run.stdout);
  assert.match(run.stdout, /General > About > Certificate Trust Settings: switch ON/);
  assert.match(run.stdout, /Settings > Security > Encryption & credentials > Install a certificate > CA certificate/);

  // Exported again: the same profile (stable UUIDs), byte for byte.
  const first = readFileSync(profile, 'utf8');
  const again = await runCli(['export-cert', printer.url, '--out', s.dir], { env: s.env });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(readFileSync(profile, 'utf8'), first);
});

test('native messaging returns the same forms; --json on the command line too', async () => {
  const s = scratch();
  const printer = await emulator({ address: '127.0.0.72' });
  const reply = await ask({ id: 1, cmd: 'export-cert', url: printer.url, sha256: printer.sha256 }, { args: [CHROME_ORIGIN], env: s.env });
  assert.equal(reply.ok, true, JSON.stringify(reply));
  assert.equal(reply.result.sha256, printer.sha256);
  assert.equal(reply.result.file_stem, 'epos-printer-127.0.0.72');
  assert.equal(reply.result.crt_pem, printer.pem);
  const der = Buffer.from(reply.result.crt_der_base64, 'base64');
  const { createHash } = await import('node:crypto');
  assert.equal(createHash('sha256').update(der).digest('hex'), printer.sha256);
  assert.ok(reply.result.mobileconfig.includes(`<data>${reply.result.crt_der_base64}</data>`));

  const cli = await runCli(['export-cert', printer.url, '--out', s.dir, '--json'], { env: s.env });
  assert.equal(cli.status, 0, cli.stderr);
  const json = JSON.parse(cli.stdout);
  assert.equal(json.mobileconfig, reply.result.mobileconfig);
  assert.equal(json.files.crt, join(s.dir, 'epos-printer-127.0.0.72.crt'));

  const empty = await ask({ id: 2, cmd: 'export-cert', url: printer.url, sha256: '' }, { args: [CHROME_ORIGIN], env: s.env });
  assert.equal(empty.error.code, 'bad_request');
  const missing = await ask({ id: 3, cmd: 'export-cert', url: printer.url }, { args: [CHROME_ORIGIN], env: s.env });
  assert.equal(missing.error.code, 'bad_request');
});

test('refusals write no file: another certificate, a too-broad one, a folder that is not there', async () => {
  const s = scratch();
  const printer = await emulator({ address: '127.0.0.73' });
  const broad = await emulator({ address: '127.0.0.74', shape: 'too-broad' });
  const out = join(s.dir, 'out');
  spawnSync('mkdir', [out]);

  const wrong = await runCli(['export-cert', printer.url, '--out', out, '--sha256', '0'.repeat(64), '--json'], { env: s.env });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stdout + wrong.stderr, /fingerprint_mismatch|another certificate/);
  const nm = await ask({ id: 4, cmd: 'export-cert', url: printer.url, sha256: '0'.repeat(64) }, { args: [CHROME_ORIGIN], env: s.env });
  assert.equal(nm.error.code, 'fingerprint_mismatch');
  assert.equal(nm.error.details.presented_sha256, printer.sha256);

  const tooBroad = await runCli(['export-cert', broad.url, '--out', out], { env: s.env });
  assert.notEqual(tooBroad.status, 0);
  assert.match(tooBroad.stdout + tooBroad.stderr, /www\.example-bank\.com/);
  const nmBroad = await ask({ id: 5, cmd: 'export-cert', url: broad.url, sha256: broad.sha256 }, { args: [CHROME_ORIGIN], env: s.env });
  assert.equal(nmBroad.error.code, 'certificate_too_broad');
  assert.deepEqual(nmBroad.error.details.names, ['www.example-bank.com', '*.odoo.com', 'accounts.google.com']);
  assert.deepEqual(readdirSync(out), []);

  const nowhere = await runCli(['export-cert', printer.url, '--out', join(s.dir, 'absent')], { env: s.env });
  assert.notEqual(nowhere.status, 0);
  assert.match(nowhere.stdout + nowhere.stderr, /not a folder/);
  assert.equal(existsSync(join(s.dir, 'absent')), false);
});
