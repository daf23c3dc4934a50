// Hostile catalogue, part 5: host names. Inside a private network (loopback only) and mount
// namespace, /etc/hosts is a file of this test's and DNS points at a closed loopback port, so
// names resolve exactly as each case says and nothing leaves the machine. Covers names that
// resolve to public or mixed addresses, IDN (punycode) and IPv6, names that do not resolve, and
// DNS rebinding between inspect and trust.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame, runHost, assertError, CHROME_ORIGIN } from './lib/hostile.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';
import { requirePrivateNamespaces, mount } from './lib/namespace.mjs';
import { makeMachine, ownEntries } from '../faults/lib/machine.mjs';

requirePrivateNamespaces(['mnt', 'net']);

const etc = mkdtempSync(join(tmpdir(), 'epos-hostile-etc-'));
const hostsFile = join(etc, 'hosts');
const { defer, emulator } = teardownAfterFile();

// Rewrites the bind-mounted /etc/hosts in place (same inode, so the mount shows it at once; glibc
// reads the file on every lookup).
function hosts(lines) {
  writeFileSync(hostsFile, ['127.0.0.1 localhost', '::1 localhost', ...lines, ''].join('\n'));
}

before(() => {
  hosts([]);
  writeFileSync(join(etc, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  writeFileSync(join(etc, 'nsswitch.conf'), 'hosts: files dns\n');
  mount('--bind', hostsFile, '/etc/hosts');
  mount('--bind', join(etc, 'resolv.conf'), '/etc/resolv.conf');
  mount('--bind', join(etc, 'nsswitch.conf'), '/etc/nsswitch.conf');
});

function machine() {
  const m = makeMachine({ firefoxProfiles: 0 });
  defer(m.remove);
  return m;
}
async function ask(body, env = {}) {
  const { status, signal, replies, stderr } = await runHost(frame(body), { args: [CHROME_ORIGIN], env, timeoutMs: 30000 });
  assert.equal(signal, null, stderr);
  assert.equal(status, 0, stderr);
  assert.equal(replies.length, 1);
  return replies[0];
}
const portOf = (url) => new URL(url).port;

test('names: a name in hosts that points at a loopback printer is inspected (control case)', async () => {
  const p = await emulator({ address: '127.0.0.140' });
  hosts(['127.0.0.140 printer.lan']);
  const reply = await ask({ id: 1, cmd: 'inspect', url: `https://printer.lan:${portOf(p.url)}` });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.target.address, '127.0.0.140');
  assert.equal(reply.result.certificate.sha256, p.sha256);
});

test('names: a name that resolves to a public address: address_not_local, no connection', async () => {
  hosts(['8.8.8.8 public.lan']);
  const reply = await ask({ id: 1, cmd: 'inspect', url: 'https://public.lan' });
  assertError(reply, 'address_not_local', { id: 1 });
  assert.match(reply.error.message, /8\.8\.8\.8/);
});

test('names: a name with one local and one public address: address_not_local', async () => {
  await emulator({ address: '127.0.0.141', port: 18441 });
  hosts(['127.0.0.141 mixed.lan', '8.8.4.4 mixed.lan']);
  const reply = await ask({ id: 1, cmd: 'inspect', url: 'https://mixed.lan:18441' });
  assertError(reply, 'address_not_local');
  assert.match(reply.error.message, /8\.8\.4\.4/);
});

test('names: a name that resolves to an IPv4-mapped public address: address_not_local', async () => {
  hosts(['::ffff:1.1.1.1 mapped.lan']);
  assertError(await ask({ id: 1, cmd: 'inspect', url: 'https://mapped.lan' }), 'address_not_local');
});

test('names: a name that resolves to 0.0.0.0: address_not_local', async () => {
  hosts(['0.0.0.0 nowhere.lan']);
  assertError(await ask({ id: 1, cmd: 'inspect', url: 'https://nowhere.lan' }), 'address_not_local');
});

test('names: a name that does not resolve: resolve_failed', async () => {
  hosts([]);
  const started = Date.now();
  assertError(await ask({ id: 1, cmd: 'inspect', url: 'https://no-such-printer.lan' }), 'resolve_failed');
  assert.ok(Date.now() - started < 15000);
});

test('names: an IDN in punycode is accepted and resolved like any name', async () => {
  const p = await emulator({ address: '127.0.0.142' });
  hosts(['127.0.0.142 xn--imprimante-caf-dmb.lan']);
  const reply = await ask({ id: 1, cmd: 'inspect', url: `https://xn--imprimante-caf-dmb.lan:${portOf(p.url)}` });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.target.host, 'xn--imprimante-caf-dmb.lan');
});

test('names: a name that resolves to the IPv6 loopback reaches a printer on ::1', async () => {
  const p = await emulator({ address: '::1' });
  hosts(['::1 v6printer.lan']);
  const reply = await ask({ id: 1, cmd: 'inspect', url: `https://v6printer.lan:${portOf(p.url)}` });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.target.address, '::1');
  assert.equal(reply.result.certificate.sha256, p.sha256);
});

test('names: a name with a trailing dot is the same printer', async () => {
  const p = await emulator({ address: '127.0.0.143' });
  hosts(['127.0.0.143 dotted.lan']);
  const reply = await ask({ id: 1, cmd: 'inspect', url: `https://dotted.lan.:${portOf(p.url)}` });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.target.host, 'dotted.lan');
});

test('rebinding: the name moves to a public address between inspect and trust: address_not_local, nothing installed', async () => {
  const m = machine();
  const p = await emulator({ address: '127.0.0.144' });
  const url = `https://rebind.lan:${portOf(p.url)}`;
  hosts(['127.0.0.144 rebind.lan']);
  const seen = await ask({ id: 1, cmd: 'inspect', url }, m.env);
  assert.equal(seen.result.certificate.sha256, p.sha256);
  hosts(['1.2.3.4 rebind.lan']);
  const reply = await ask({ id: 2, cmd: 'trust', url, sha256: p.sha256 }, m.env);
  assertError(reply, 'address_not_local', { id: 2 });
  assert.deepEqual(ownEntries(m.chromium), []);
  assert.equal((await ask({ id: 3, cmd: 'list' }, m.env)).result.entries.length, 0);
});

test('rebinding: the name moves to another local server with another certificate: fingerprint_mismatch, nothing installed', async () => {
  const m = machine();
  const a = await emulator({ address: '127.0.0.145' });
  const b = await emulator({ address: '127.0.0.146', port: Number(portOf(a.url)) });
  const url = `https://switch.lan:${portOf(a.url)}`;
  hosts(['127.0.0.145 switch.lan']);
  const seen = await ask({ id: 1, cmd: 'inspect', url }, m.env);
  assert.equal(seen.result.certificate.sha256, a.sha256);
  hosts(['127.0.0.146 switch.lan']);
  const reply = await ask({ id: 2, cmd: 'trust', url, sha256: a.sha256 }, m.env);
  assertError(reply, 'fingerprint_mismatch', { id: 2 });
  assert.equal(reply.error.details.presented_sha256, b.sha256);
  assert.deepEqual(ownEntries(m.chromium), []);
});

test('rebinding: moved back to the confirmed printer, trust installs it (control case)', async () => {
  const m = machine();
  const p = await emulator({ address: '127.0.0.147', extra: ['--san', 'back.lan'] });
  const url = `https://back.lan:${portOf(p.url)}`;
  hosts(['127.0.0.147 back.lan']);
  const reply = await ask({ id: 2, cmd: 'trust', url, sha256: p.sha256 }, m.env);
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.deepEqual(ownEntries(m.chromium).map(([, t]) => t), ['P,,']);
});
