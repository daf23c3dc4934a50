// inspect through the real binary against the bundled emulator, one certificate shape at a time:
// the fingerprint must be the one the emulator serves, and the findings those of the shape.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ask, runCli } from '../lib/host.mjs';
import { startEmulator } from '../lib/emulator.mjs';

const running = [];
after(() => Promise.all(running.map((e) => e.stop())));

async function emulator(options) {
  const e = await startEmulator(options);
  running.push(e);
  return e;
}

function codes(result) {
  return result.findings.map((f) => f.code).sort();
}

// shape -> [findings that must be there, verdict {chrome, firefox, apple}]
const SHAPES = {
  good: [[], { chrome: 'usable', firefox: 'usable', apple: 'usable' }],
  'no-san': [['san_missing'], { chrome: 'unusable', firefox: 'unusable', apple: 'unusable' }],
  'wrong-san': [['san_mismatch'], { chrome: 'unusable', firefox: 'unusable', apple: 'unusable' }],
  'ca-true': [['ca_certificate'], { chrome: 'usable', firefox: 'dangerous' }],
  'no-basic-constraints': [[], { chrome: 'usable', firefox: 'usable' }],
  v1: [['san_missing', 'x509_v1'], { chrome: 'unusable', firefox: 'dangerous' }],
  sha1: [['sha1_signature'], { chrome: 'usable', firefox: 'usable', apple: 'unusable' }],
  rsa1024: [['weak_rsa_key'], { chrome: 'usable', firefox: 'usable', apple: 'unusable' }],
  expired: [['expired'], { chrome: 'unusable', firefox: 'unusable', apple: 'unusable' }],
  'not-yet-valid': [['not_yet_valid'], { chrome: 'unusable', firefox: 'unusable' }],
  'long-validity': [['validity_too_long'], { chrome: 'usable', firefox: 'usable', apple: 'unusable' }],
  ecdsa: [[], { chrome: 'usable', firefox: 'usable', apple: 'usable' }],
  'epson-like': [['san_missing', 'validity_too_long'], { chrome: 'unusable', firefox: 'unusable' }],
};

let octet = 30;
for (const [shape, [expected, verdict]] of Object.entries(SHAPES)) {
  const address = `127.0.0.${octet++}`;
  test(`inspect ${shape} certificate on ${address}`, async () => {
    const printer = await emulator({ address, shape });
    const reply = await ask({ id: shape, cmd: 'inspect', url: printer.url });
    assert.equal(reply.ok, true, JSON.stringify(reply.error));
    const r = reply.result;
    assert.equal(r.certificate.sha256, printer.sha256);
    assert.equal(r.target.address, address);
    assert.equal(r.target.address_class, 'loopback');
    assert.equal(r.epos.is_epos, true);
    assert.equal(r.epos.success, true);
    for (const code of expected) assert.ok(codes(r).includes(code), `${shape}: ${codes(r)} lacks ${code}`);
    if (expected.length === 0) {
      assert.deepEqual(codes(r).filter((c) => !['not_epos'].includes(c) && r.findings.find((f) => f.code === c).severity === 'error'), []);
    }
    for (const [browser, usability] of Object.entries(verdict)) {
      assert.equal(r.verdict[browser], usability, `${shape}: verdict for ${browser}`);
    }
    for (const f of r.findings) {
      assert.ok(f.message.length > 20, `finding ${f.code} has a message`);
      assert.ok(['error', 'warning', 'info'].includes(f.severity));
    }
  });
}

test('IPv6 loopback printer: [::1] with an IPv6 SAN', async () => {
  const printer = await emulator({ address: '::1', shape: 'good' });
  const reply = await ask({ id: 1, cmd: 'inspect', url: printer.url });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.certificate.sha256, printer.sha256);
  assert.deepEqual(reply.result.certificate.san.ip, ['::1']);
  assert.equal(reply.result.epos.is_epos, true, JSON.stringify(reply.result.epos));
  assert.equal(reply.result.target.address_class, 'loopback');
  assert.ok(!codes(reply.result).includes('san_mismatch'));
});

test('a printer that speaks only TLS 1.1: old_tls, unusable everywhere', async () => {
  const printer = await emulator({ address: '127.0.0.60', shape: 'good', extra: ['--tls-max', '1.1'] });
  const reply = await ask({ id: 1, cmd: 'inspect', url: printer.url });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.match(reply.result.tls.version, /TLSv1(\.1)?$/);
  assert.ok(codes(reply.result).includes('old_tls'));
  assert.equal(reply.result.verdict.chrome, 'unusable');
  assert.equal(reply.result.verdict.firefox, 'unusable');
});

test('a TLS server that is not an ePOS printer: not_epos', async () => {
  const printer = await emulator({ address: '127.0.0.61', shape: 'good', extra: ['--mode', 'not-epos'] });
  const reply = await ask({ id: 1, cmd: 'inspect', url: printer.url });
  assert.equal(reply.ok, true);
  assert.equal(reply.result.epos.is_epos, false);
  assert.ok(codes(reply.result).includes('not_epos'));
});

test('a printer out of paper is still recognised, with its own status word', async () => {
  const ok = await emulator({ address: '127.0.0.62', shape: 'good' });
  const empty = await emulator({ address: '127.0.0.68', shape: 'good', extra: ['--state', 'paper-end'] });
  const okReply = await ask({ id: 1, cmd: 'inspect', url: ok.url });
  const emptyReply = await ask({ id: 2, cmd: 'inspect', url: empty.url });
  assert.equal(emptyReply.result.epos.is_epos, true);
  assert.match(emptyReply.result.epos.status, /^[0-9]+$/);
  assert.notEqual(emptyReply.result.epos.status, okReply.result.epos.status);
});

test('a server that does not speak TLS: not_tls', async () => {
  const printer = await emulator({ address: '127.0.0.63', extra: ['--mode', 'not-tls'] });
  const url = `https://127.0.0.63:${printer.port}`;
  const reply = await ask({ id: 1, cmd: 'inspect', url });
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, 'not_tls');
});

test('a server that never answers the handshake: timeout, within the limit', async () => {
  const printer = await emulator({ address: '127.0.0.64', extra: ['--mode', 'stall'] });
  const url = `https://127.0.0.64:${printer.port}`;
  const started = Date.now();
  const { status, stdout } = await runCli(['inspect', url, '--json', '--timeout', '500']);
  assert.equal(status, 1);
  assert.equal(JSON.parse(stdout).error.code, 'timeout');
  assert.ok(Date.now() - started < 5000);
});

test('a dead printer: unreachable', async () => {
  const printer = await emulator({ address: '127.0.0.65' });
  await printer.stop();
  const reply = await ask({ id: 1, cmd: 'inspect', url: printer.url });
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, 'unreachable');
});

test('CLI inspect prints the fingerprint and the findings for people', async () => {
  const printer = await emulator({ address: '127.0.0.66', shape: 'no-san' });
  const { status, stdout } = await runCli(['inspect', printer.url]);
  assert.equal(status, 0);
  const grouped = printer.sha256.toUpperCase().match(/../g).join(':');
  assert.ok(stdout.includes(grouped), stdout);
  assert.match(stdout, /san_missing/);
  assert.match(stdout, /What to do:/);
});

test('CLI inspect --json is the protocol result', async () => {
  const printer = await emulator({ address: '127.0.0.67', shape: 'good' });
  const { status, stdout } = await runCli(['inspect', printer.url, '--json']);
  assert.equal(status, 0);
  const result = JSON.parse(stdout);
  assert.equal(result.certificate.sha256, printer.sha256);
  assert.equal(result.verdict.chrome, 'usable');
});

test('CLI usage errors exit 2, operation failures exit 1', async () => {
  assert.equal((await runCli(['inspect'])).status, 2);
  assert.equal((await runCli(['no-such-command'])).status, 2);
  assert.equal((await runCli(['inspect', 'https://8.8.8.8'])).status, 1);
  const help = await runCli(['inspect', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: epos-trust inspect/);
});
