// Hostile catalogue, part 4: printers presenting every certificate shape of docs/browser-behaviour.md §5,
// asked to be trusted through native messaging by Chromium and by Firefox, into real NSS
// databases made by certutil. A certificate is installed only where it works and is safe
// (never a v1 or CA:TRUE anchor); every refusal is certificate_unusable with the findings, and
// leaves the databases and the journal as they were. Also: a certificate swapped between
// inspect and trust (same address and port).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, runHost, assertError, CHROME_ORIGIN } from './lib/hostile.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';
import { makeMachine, ownEntries, integrity } from '../faults/lib/machine.mjs';

const FIREFOX_ARGS = ['/usr/lib/mozilla/native-messaging-hosts/epos_trust.json', 'epos-trust@example.org'];
const { defer, emulator } = teardownAfterFile();

function machine() {
  const m = makeMachine({ firefoxProfiles: 1 });
  defer(m.remove);
  return m;
}

async function ask(m, args, body) {
  const { status, signal, replies, stderr } = await runHost(frame(body), { args, env: m.env, timeoutMs: 60000 });
  assert.equal(signal, null, stderr);
  assert.equal(status, 0, stderr);
  assert.equal(replies.length, 1);
  return replies[0];
}

// shape -> what must hold whatever the judge says in detail: may Chromium (trusted peer P,,) and
// Firefox (anchor C,,) get it?
const SHAPES = {
  good: { chrome: true, firefox: true },
  ecdsa: { chrome: true, firefox: true },
  'no-basic-constraints': { chrome: true, firefox: true },
  'no-eku': { chrome: true, firefox: true },
  'ca-true': { chrome: true, firefox: false }, // anchoring it would create a root CA
  v1: { chrome: false, firefox: false }, // no SAN; anchoring would create a root CA
  'no-san': { chrome: false, firefox: false },
  'wrong-san': { chrome: false, firefox: false },
  'dns-san': { chrome: false, firefox: false }, // names a DNS name, reached by IP
  expired: { chrome: false, firefox: false },
  'not-yet-valid': { chrome: false, firefox: false },
  ed25519: { chrome: false, firefox: false }, // browsers cannot use the key in TLS
  'epson-like': { chrome: false, firefox: false }, // CN only, 10-year validity
  sha1: { chrome: true, firefox: true },
  rsa1024: { chrome: true, firefox: true },
  'long-validity': { chrome: true, firefox: true },
};

let octet = 100;
for (const [shape, allowed] of Object.entries(SHAPES)) {
  const address = `127.0.0.${octet++}`;
  test(`certificate: ${shape} is installed only where it works and is safe`, async () => {
    const m = machine();
    const printer = await emulator({ address, shape });
    const seen = await ask(m, [CHROME_ORIGIN], { id: 'i', cmd: 'inspect', url: printer.url });
    assert.equal(seen.ok, true, JSON.stringify(seen.error));
    assert.equal(seen.result.certificate.sha256, printer.sha256);
    if (['ca-true', 'v1'].includes(shape)) assert.equal(seen.result.verdict.firefox, 'dangerous');

    for (const [caller, args, db, trustFlags] of [
      ['chrome', [CHROME_ORIGIN], m.chromium, 'P,,'],
      ['firefox', FIREFOX_ARGS, m.firefox[0], 'C,,'],
    ]) {
      const reply = await ask(m, args, { id: caller, cmd: 'trust', url: printer.url, sha256: printer.sha256 });
      if (allowed[caller]) {
        assert.equal(reply.ok, true, `${shape} for ${caller}: ${JSON.stringify(reply.error)}`);
        assert.deepEqual(ownEntries(db).map(([, t]) => t), [trustFlags]);
      } else {
        assertError(reply, 'certificate_unusable', { id: caller });
        assert.ok(reply.error.details.findings.length > 0, 'the refusal says why');
        assert.deepEqual(ownEntries(db), [], `${shape}: nothing may be written for ${caller}`);
      }
    }
    for (const db of m.databases) integrity(db);
    // The journal holds exactly what was installed.
    const listed = await ask(m, [CHROME_ORIGIN], { id: 'l', cmd: 'list' });
    const installed = Object.values(allowed).filter(Boolean).length;
    assert.equal(listed.result.entries.length, installed);
  });
}

test('certificate: swapped between inspect and trust (same address and port): fingerprint_mismatch, nothing installed', async () => {
  const m = machine();
  const first = await emulator({ address: '127.0.0.120' });
  const seen = await ask(m, [CHROME_ORIGIN], { id: 1, cmd: 'inspect', url: first.url });
  assert.equal(seen.result.certificate.sha256, first.sha256);
  await first.stop();
  // Another certificate on the very same address and port: what a person confirmed is gone.
  const second = await emulator({ address: '127.0.0.120', port: first.port });
  assert.equal(second.url, first.url);
  assert.notEqual(second.sha256, first.sha256);
  const reply = await ask(m, [CHROME_ORIGIN], { id: 2, cmd: 'trust', url: first.url, sha256: first.sha256 });
  assertError(reply, 'fingerprint_mismatch', { id: 2 });
  assert.equal(reply.error.details.presented_sha256, second.sha256);
  for (const db of m.databases) assert.deepEqual(ownEntries(db), []);
  assert.equal((await ask(m, [CHROME_ORIGIN], { id: 3, cmd: 'list' })).result.entries.length, 0);
});
