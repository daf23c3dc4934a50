// `epos-trust register / unregister / doctor` as a person runs them: the real binary, a fake HOME,
// and a scratch root standing in for / in --system mode.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HOST, runCli } from '../lib/host.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'epos-register-'));
  return { dir, home: join(dir, 'home'), root: join(dir, 'root'), env: scratchEnv(join(dir, 'home'), { create: false }) };
}

test('register writes manifests naming this binary; doctor sees them; unregister takes them away', async () => {
  const s = sandbox();
  try {
    const reg = await runCli(['register', '--browser', 'chromium', '--browser', 'firefox', '--json'], { env: s.env });
    assert.equal(reg.status, 0, reg.stderr);
    const result = JSON.parse(reg.stdout);
    assert.deepEqual(result.manifests.map((m) => `${m.browser}/${m.kind}/${m.action}`), [
      'chromium/host/written',
      'firefox/host/written',
      'firefox/pkcs11/written',
    ]);
    const chromium = JSON.parse(readFileSync(join(s.home, '.config/chromium/NativeMessagingHosts/com.epos_trust.host.json')));
    assert.equal(chromium.path, realpathSync(HOST));
    const template = JSON.parse(readFileSync(join(process.env.EPOS_SOURCE_DIR, 'manifests/com.epos_trust.host.chrome.json.in')));
    assert.deepEqual(chromium.allowed_origins, template.allowed_origins);
    const pkcs11 = JSON.parse(readFileSync(join(s.home, '.mozilla/pkcs11-modules/epos_trust_flush.json')));
    assert.ok(existsSync(pkcs11.path), `flush module ${pkcs11.path} missing`);

    const doc = await runCli(['doctor', '--json', '--root', s.root], { env: s.env });
    const report = JSON.parse(doc.stdout);
    const byId = Object.fromEntries(report.browsers.map((b) => [b.id, b]));
    assert.equal(byId.chromium.host_reachable, true);
    assert.equal(byId.chromium.manifests.find((m) => m.scope === 'user').state, 'ok');
    assert.equal(byId.firefox.flush_module_registered, true);
    assert.equal(byId.chrome.host_reachable, false);
    // No NSS database in a fresh HOME: a problem, and exit status 3.
    assert.equal(doc.status, 3);
    assert.ok(report.problems.some((p) => /certificate database/.test(p)));

    const unreg = await runCli(['unregister', '--json'], { env: s.env });
    assert.equal(unreg.status, 0);
    assert.ok(!existsSync(join(s.home, '.config/chromium')));
    assert.ok(!existsSync(join(s.home, '.mozilla')));
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('register --system --root writes the per-machine paths and nothing per user', async () => {
  const s = sandbox();
  try {
    const reg = await runCli(['register', '--system', '--root', s.root, '--json'], { env: s.env });
    assert.equal(reg.status, 0, reg.stderr);
    for (const p of [
      'etc/opt/chrome/native-messaging-hosts/com.epos_trust.host.json',
      'etc/chromium/native-messaging-hosts/com.epos_trust.host.json',
      'etc/opt/edge/native-messaging-hosts/com.epos_trust.host.json',
      'usr/lib/mozilla/native-messaging-hosts/com.epos_trust.host.json',
      'usr/lib/mozilla/pkcs11-modules/epos_trust_flush.json',
    ]) {
      assert.ok(existsSync(join(s.root, p)), p);
    }
    assert.ok(!existsSync(s.home));
    const doc = JSON.parse((await runCli(['doctor', '--json', '--root', s.root], { env: s.env })).stdout);
    const chromium = doc.browsers.find((b) => b.id === 'chromium');
    assert.equal(chromium.manifests.find((m) => m.scope === 'system').state, 'ok');
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('bad input: an unknown browser and a relative host path are refused with a code, nothing written', async () => {
  const s = sandbox();
  try {
    const bad = await runCli(['register', '--browser', 'netscape', '--json'], { env: s.env });
    assert.equal(bad.status, 1);
    assert.equal(JSON.parse(bad.stdout).error.code, 'unknown_browser');
    const rel = await runCli(['register', '--host-path', 'epos-trust', '--json'], { env: s.env });
    assert.equal(rel.status, 1);
    assert.equal(JSON.parse(rel.stdout).error.code, 'bad_host_path');
    assert.ok(!existsSync(s.home));
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});
