// Hostile catalogue, part 6: the machine policy file /etc/epos-trust/policy.json when it is
// malformed or could have been written by someone other than root. Each is refused (fail
// closed): hello says so, inspect and trust answer policy_invalid, nothing is installed. Runs
// inside a private mount namespace where /etc is an overlay of the real one (the real /etc is
// never written), as root (CTest runs it through unshare).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame, runHost, startEmulator, assertError, CHROME_ORIGIN } from './lib/hostile.mjs';
import { requirePrivateNamespaces, mount } from './lib/namespace.mjs';
import { makeMachine, ownEntries } from '../faults/lib/machine.mjs';

requirePrivateNamespaces(['mnt']);

const DIR = '/etc/epos-trust';
const POLICY = join(DIR, 'policy.json');
const scratch = mkdtempSync(join(tmpdir(), 'epos-hostile-policy-'));
const cleanup = [];
let printer;

before(async () => {
  mkdirSync(join(scratch, 'upper'));
  mkdirSync(join(scratch, 'work'));
  mount('-t', 'overlay', 'overlay', '-o', `lowerdir=/etc,upperdir=${scratch}/upper,workdir=${scratch}/work`, '/etc');
  mkdirSync(DIR, { recursive: true });
  printer = await startEmulator({ address: '127.0.0.150' });
  cleanup.push(() => printer.stop());
});
after(async () => {
  for (const undo of cleanup.reverse()) await undo();
});

function machine() {
  const m = makeMachine({ firefoxProfiles: 0 });
  cleanup.push(m.remove);
  return m;
}
async function ask(body, env) {
  const { status, signal, replies, stderr } = await runHost(frame(body), { args: [CHROME_ORIGIN], env, timeoutMs: 30000 });
  assert.equal(signal, null, stderr);
  assert.equal(status, 0, stderr);
  assert.equal(replies.length, 1);
  return replies[0];
}

// Puts the policy in place with `write()` then checks the whole refusal.
async function assertRefused(write, why) {
  rmSync(POLICY, { recursive: true, force: true });
  write();
  const m = machine();
  const hello = await ask({ id: 'h', cmd: 'hello' }, m.env);
  assert.equal(hello.ok, true);
  assert.equal(hello.result.policy.installs_allowed, false);
  assert.match(hello.result.policy.error, why);
  const seen = await ask({ id: 'i', cmd: 'inspect', url: printer.url }, m.env);
  assertError(seen, 'policy_invalid', { id: 'i' });
  const trusted = await ask({ id: 't', cmd: 'trust', url: printer.url, sha256: printer.sha256 }, m.env);
  assertError(trusted, 'policy_invalid', { id: 't' });
  assert.deepEqual(ownEntries(m.chromium), [], 'nothing installed');
}

const valid = JSON.stringify({ allowed_networks: ['loopback'], installs_allowed: true });
const file = (text, mode = 0o644, uid = 0) => () => {
  writeFileSync(POLICY, text);
  chmodSync(POLICY, mode);
  chownSync(POLICY, uid, 0);
};

test('policy: not JSON: refused', async () => assertRefused(file('{"allowed_networks": [loopback'), /not JSON/));
test('policy: an empty file: refused', async () => assertRefused(file(''), /not JSON/));
test('policy: a number too large for a double (1e999): refused, the host does not crash', async () =>
  assertRefused(file('{"_note": 1e999}'), /not JSON/));
test('policy: a JSON array: refused', async () => assertRefused(file('["loopback"]'), /object/));
test('policy: an unknown setting: refused', async () => assertRefused(file('{"allow_everything": true}'), /unknown setting/));
test('policy: a wrongly typed setting: refused', async () => assertRefused(file('{"allowed_networks": "public"}'), /allowed_networks/));
test('policy: an unknown network class: refused', async () => assertRefused(file('{"allowed_networks": ["internet"]}'), /internet/));
test('policy: a malformed pinned fingerprint: refused', async () => assertRefused(file('{"pinned_sha256": ["12:34"]}'), /fingerprint/));
test('policy: deep nesting: refused', async () =>
  assertRefused(file(`{"allowed_networks": ${'['.repeat(10000)}${']'.repeat(10000)}}`), /allowed_networks/));
test('policy: writable by everyone: refused', async () => assertRefused(file(valid, 0o666), /root/));
test('policy: writable by its group: refused', async () => assertRefused(file(valid, 0o664), /root/));
test('policy: owned by another user: refused', async () => assertRefused(file(valid, 0o644, 65534), /root/));
test('policy: a directory where the file should be: refused', async () =>
  assertRefused(() => mkdirSync(POLICY), /regular file/));
test('policy: a symlink to a file anyone can write: refused', async () =>
  assertRefused(() => {
    const target = join(scratch, 'anyone.json');
    writeFileSync(target, valid);
    chmodSync(target, 0o666);
    symlinkSync(target, POLICY);
  }, /root/));

test('policy: a valid root-owned policy is applied (control case): loopback forbidden, inspect refused', async () => {
  rmSync(POLICY, { recursive: true, force: true });
  file(JSON.stringify({ allowed_networks: ['private'] }))();
  const m = machine();
  const hello = await ask({ id: 'h', cmd: 'hello' }, m.env);
  assert.equal(hello.result.policy.source, POLICY);
  assert.equal(hello.result.policy.installs_allowed, true);
  assertError(await ask({ id: 'i', cmd: 'inspect', url: printer.url }, m.env), 'address_not_local');
});

test('policy: installs forbidden and the printer not pinned: trust is policy_forbids, nothing installed', async () => {
  rmSync(POLICY, { recursive: true, force: true });
  file(JSON.stringify({ installs_allowed: false }))();
  const m = machine();
  const reply = await ask({ id: 't', cmd: 'trust', url: printer.url, sha256: printer.sha256 }, m.env);
  assertError(reply, 'policy_forbids', { id: 't' });
  assert.deepEqual(ownEntries(m.chromium), []);
});
