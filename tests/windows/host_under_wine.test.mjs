// The real epos-trust.exe under wine, through the faces a browser uses on Windows: `register`
// writes the HKCU keys, tools/nm_launcher.exe finds the host the way Chrome and Firefox do
// (key -> manifest -> exe) and speaks framed native messaging to it with the browser's argv.
// The trust store is checked without the host's code: tools/store_export.exe writes each
// certificate of the store as DER and this file hashes them (docs/browser-behaviour.md §7).
//
// Started by host-under-wine.sh, which builds the .exe and the tools and prepares WINEPREFIX:
//   EPOS_WIN_HOST_EXE, EPOS_WIN_TOOLS, EPOS_WIN_WORK, WINEPREFIX, EPOS_EMULATOR_BIN
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROME_ID, FIREFOX_ID } from '../../extension/manifest.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';

const { emulator } = teardownAfterFile();
const work = process.env.EPOS_WIN_WORK;
const tools = process.env.EPOS_WIN_TOOLS;
const prefix = process.env.WINEPREFIX;
const NAME = 'com.epos_trust.host';
assert.ok(work && tools && prefix && process.env.EPOS_WIN_HOST_EXE, 'run through host-under-wine.sh');

const env = { ...process.env, WINEDEBUG: '-all' };
delete env.DISPLAY;
const winPath = (unix) => 'Z:' + unix.replaceAll('/', '\\');
const unixPath = (win) => join(prefix, 'drive_c', win.replace(/^[Cc]:\\/, '').replaceAll('\\', '/'));

function wine(args, { input, check = true } = {}) {
  const run = spawnSync('wine', args, { env, input, encoding: 'utf8', timeout: 180000, maxBuffer: 64 << 20 });
  if (check) assert.equal(run.status, 0, `wine ${args.join(' ')}: ${run.stderr}`);
  return run;
}

// The host installed where a person would put it, outside the build tree.
const hostDir = join(prefix, 'drive_c', 'epos-trust-test');
mkdirSync(hostDir, { recursive: true });
copyFileSync(process.env.EPOS_WIN_HOST_EXE, join(hostDir, 'epos-trust.exe'));
const HOST_WIN = 'C:\\epos-trust-test\\epos-trust.exe';

let counter = 0;
// Each request to a fresh host process, found through the registry as `browser` finds it.
function ask(browser, ...requests) {
  const file = join(work, `requests-${++counter}.jsonl`);
  writeFileSync(file, requests.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return launch(browser, [winPath(file)]);
}
function askRaw(browser, bytes) {
  const file = join(work, `raw-${++counter}.bin`);
  writeFileSync(file, bytes);
  return launch(browser, ['--raw', winPath(file)]);
}
function launch(browser, input) {
  const id = browser === 'chrome' ? CHROME_ID : FIREFOX_ID;
  const run = wine([join(tools, 'nm_launcher.exe'), browser, NAME, id, ...input], { check: false });
  assert.equal(run.status, 0, `launcher: ${run.stderr}`);
  const replies = [];
  const exits = [];
  let partial = 0;
  for (const line of run.stdout.split('\n').map((l) => l.replace(/\r$/, ''))) {
    if (line.startsWith('exit ')) exits.push(Number(line.slice(5)));
    else if (line.startsWith('partial ')) partial = Number(line.slice(8));
    else if (line) replies.push(JSON.parse(line));
  }
  return { replies, exits, partial, stderr: run.stderr };
}

// SHA-256 of every certificate in a store, hashed here from the DER crypt32 returns.
function storeHashes(scope, name) {
  const out = join(work, `store-${++counter}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  wine([join(tools, 'store_export.exe'), scope, name, winPath(out)]);
  return readdirSync(out).map((f) => createHash('sha256').update(readFileSync(join(out, f))).digest('hex'));
}

function regDefault(key) {
  const run = wine(['reg', 'query', key, '/ve'], { check: false });
  if (run.status !== 0) return null;
  const line = run.stdout.split('\n').find((l) => l.includes('REG_SZ'));
  return line ? line.split('REG_SZ')[1].trim() : '';
}

// Brave reads Chrome's key on Windows (host/src/store/windows/native_messaging_registry.hpp).
const BROWSER_KEYS = {
  chrome: 'Software\\Google\\Chrome',
  chromium: 'Software\\Chromium',
  edge: 'Software\\Microsoft\\Edge',
  firefox: 'Software\\Mozilla',
};
const BRAVE_KEY = `Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\${NAME}`;
const keyExists = (key) => wine(['reg', 'query', key], { check: false }).status === 0;

test('register (per user) writes a manifest per browser and the HKCU key each browser reads', () => {
  const result = JSON.parse(wine([HOST_WIN, 'register', '--json']).stdout);
  assert.equal(result.scope, 'user');
  assert.equal(result.host, HOST_WIN);
  assert.deepEqual(result.manifests.map((m) => m.browser), Object.keys(BROWSER_KEYS));
  for (const m of result.manifests) {
    const key = `HKCU\\${BROWSER_KEYS[m.browser]}\\NativeMessagingHosts\\${NAME}`;
    assert.equal(m.registry, key);
    assert.equal(m.action, 'written');
    assert.equal(regDefault(key), m.path, key);
    const manifest = JSON.parse(readFileSync(unixPath(m.path), 'utf8'));
    assert.equal(manifest.name, NAME);
    assert.equal(manifest.path, HOST_WIN);
    if (m.browser === 'firefox') assert.deepEqual(manifest.allowed_extensions, [FIREFOX_ID]);
    else assert.ok(manifest.allowed_origins.includes(`chrome-extension://${CHROME_ID}/`));
  }
  assert.ok(!keyExists(`HKCU\\${BRAVE_KEY}`), 'no Brave key: Brave reads Chrome\'s');
  // Again: nothing to change.
  const again = JSON.parse(wine([HOST_WIN, 'register', '--json']).stdout);
  assert.ok(again.manifests.every((m) => m.action === 'unchanged'));
});

test('hello through Chrome\'s key and argv, and through Firefox\'s', () => {
  const chrome = ask('chrome', { id: 1, cmd: 'hello' });
  assert.deepEqual(chrome.exits, [0]);
  assert.equal(chrome.replies.length, 1);
  assert.equal(chrome.replies[0].id, 1);
  assert.equal(chrome.replies[0].ok, true, JSON.stringify(chrome.replies[0]));
  assert.equal(chrome.replies[0].result.caller.browser, 'chrome');
  assert.equal(chrome.replies[0].result.os, 'windows');
  assert.deepEqual(chrome.replies[0].result.stores.map((s) => s.id), ['windows:CurrentUser/ROOT']);
  assert.equal(chrome.replies[0].result.policy.source, 'defaults');
  const firefox = ask('firefox', { id: 2, cmd: 'hello' });
  assert.deepEqual(firefox.exits, [0]);
  assert.equal(firefox.replies[0].ok, true);
  assert.equal(firefox.replies[0].result.caller.browser, 'firefox');
});

test('inspect, trust into CurrentUser ROOT, list, untrust: the store checked by its own DER', async () => {
  const printer = await emulator({ address: '127.0.0.25' });
  const before = storeHashes('CurrentUser', 'ROOT');
  assert.ok(!before.includes(printer.sha256));

  const inspected = ask('chrome', { id: 1, cmd: 'inspect', url: printer.url }).replies[0];
  assert.equal(inspected.ok, true, JSON.stringify(inspected));
  assert.equal(inspected.result.certificate.sha256, printer.sha256);
  assert.equal(inspected.result.epos.is_epos, true);
  assert.equal(inspected.result.verdict.chrome, 'usable');

  const trusted = ask('chrome', { id: 2, cmd: 'trust', url: printer.url, sha256: printer.sha256 }).replies[0];
  assert.equal(trusted.ok, true, JSON.stringify(trusted));
  assert.deepEqual(trusted.result.stores.map((s) => [s.id, s.outcome]), [['windows:CurrentUser/ROOT', 'installed']]);
  // wine fills CurrentUser ROOT with the system's CA bundle the first time a program opens it:
  // compare with the store as it is after the host's first open, minus the printer.
  const after = storeHashes('CurrentUser', 'ROOT');
  assert.ok(after.includes(printer.sha256), 'the DER in CurrentUser ROOT hashes to the printer\'s fingerprint');
  assert.equal(after.filter((h) => h === printer.sha256).length, 1);

  const listed = ask('firefox', { id: 3, cmd: 'list' }).replies[0];
  assert.equal(listed.ok, true);
  const entry = listed.result.entries.find((e) => e.sha256 === printer.sha256);
  assert.ok(entry, JSON.stringify(listed.result));
  assert.equal(entry.present, true);
  assert.equal(entry.store, 'windows:CurrentUser/ROOT');

  const untrusted = ask('chrome', { id: 4, cmd: 'untrust', sha256: printer.sha256 }).replies[0];
  assert.equal(untrusted.ok, true, JSON.stringify(untrusted));
  const gone = storeHashes('CurrentUser', 'ROOT');
  assert.ok(!gone.includes(printer.sha256));
  assert.deepEqual(gone.sort(), after.filter((h) => h !== printer.sha256).sort(), 'nothing else in the store changed');
});

test('a wrong fingerprint installs nothing; a dead printer is unreachable', async () => {
  const printer = await emulator({ address: '127.0.0.25' });
  const before = storeHashes('CurrentUser', 'ROOT');
  const wrong = ask('chrome', { id: 1, cmd: 'trust', url: printer.url, sha256: '0'.repeat(64) }).replies[0];
  assert.equal(wrong.ok, false);
  assert.equal(wrong.error.code, 'fingerprint_mismatch');
  assert.deepEqual(storeHashes('CurrentUser', 'ROOT').sort(), before.sort());

  const port = Number(new URL(printer.url).port);
  await printer.stop();
  const dead = ask('chrome', { id: 2, cmd: 'inspect', url: `https://127.0.0.25:${port}` }).replies[0];
  assert.equal(dead.ok, false);
  assert.equal(dead.error.code, 'unreachable', JSON.stringify(dead));
  const deadTrust = ask('chrome', { id: 3, cmd: 'trust', url: `https://127.0.0.25:${port}`, sha256: printer.sha256 }).replies[0];
  assert.equal(deadTrust.error.code, 'unreachable');
  assert.deepEqual(storeHashes('CurrentUser', 'ROOT').sort(), before.sort());
});

test('malformed frames: clear error codes, earlier replies kept, a clean exit', () => {
  const header = (n) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return b;
  };
  const frame = (text) => Buffer.concat([header(Buffer.byteLength(text)), Buffer.from(text)]);
  const hello = JSON.stringify({ id: 'first', cmd: 'hello' });

  const cut = askRaw('chrome', Buffer.concat([frame(hello), header(100), Buffer.from('{"id":1,"c')]));
  assert.deepEqual(cut.exits, [0]);
  assert.equal(cut.replies.length, 1);
  assert.equal(cut.replies[0].id, 'first');

  const huge = askRaw('chrome', header(0xffffffff));
  assert.deepEqual(huge.exits, [0]);
  assert.equal(huge.replies[0].error.code, 'frame_too_large');

  const notJson = askRaw('chrome', Buffer.concat([frame('not json'), frame(hello)]));
  assert.equal(notJson.replies[0].error.code, 'invalid_json');
  assert.equal(notJson.replies[1].ok, true, 'the next request is answered');

  const badUtf8 = askRaw('firefox', Buffer.concat([header(3), Buffer.from([0x22, 0xff, 0x22])]));
  assert.equal(badUtf8.replies[0].error.code, 'invalid_utf8');
  assert.equal(cut.partial + huge.partial + notJson.partial + badUtf8.partial, 0);
});

const POLICY = 'HKLM\\Software\\Policies\\epos-trust';
const reg = (...args) => wine(['reg', ...args, '/f']);
const hello = () => ask('chrome', { id: 1, cmd: 'hello' }).replies[0].result;

test('machine policy from HKLM: read, refused closed when malformed; HKCU never widens it', async () => {
  // A per-user policy that would widen everything is not read.
  reg('add', 'HKCU\\Software\\Policies\\epos-trust\\allowed_networks', '/v', '1', '/t', 'REG_SZ', '/d', 'public');
  reg('add', 'HKCU\\Software\\Policies\\epos-trust', '/v', 'installs_allowed', '/t', 'REG_DWORD', '/d', '1');
  assert.equal(hello().policy.source, 'defaults');
  assert.ok(!hello().policy.allowed_networks.includes('public'));

  reg('add', `${POLICY}\\allowed_networks`, '/v', '1', '/t', 'REG_SZ', '/d', 'loopback');
  reg('add', `${POLICY}\\pinned_sha256`, '/v', '1', '/t', 'REG_SZ', '/d', 'AB'.repeat(32));
  reg('add', POLICY, '/v', 'require_confirmation', '/t', 'REG_DWORD', '/d', '0');
  reg('add', `${POLICY}\\pos_origins`, '/v', '2', '/t', 'REG_SZ', '/d', 'https://pos2.example.com');
  reg('add', `${POLICY}\\pos_origins`, '/v', '1', '/t', 'REG_SZ', '/d', 'https://pos.example.com');
  const read = hello().policy;
  assert.deepEqual(read.pos_origins, ['https://pos.example.com', 'https://pos2.example.com'], 'items in value-name order');
  assert.equal(read.source, POLICY);
  assert.deepEqual(read.allowed_networks, ['loopback']);
  assert.deepEqual(read.pinned_sha256, ['ab'.repeat(32)]);
  assert.equal(read.require_confirmation, false);
  assert.equal(read.installs_allowed, true);

  // Malformed: an unknown setting, then a wrongly typed one: every install refused.
  const printer = await emulator({ address: '127.0.0.25' });
  for (const bad of [['/v', 'allow_everything', '/t', 'REG_DWORD', '/d', '1'], ['/v', 'installs_allowed', '/t', 'REG_SZ', '/d', 'yes'],
    ['/v', 'installs_allowed', '/t', 'REG_DWORD', '/d', '2']]) {
    reg('add', POLICY, ...bad);
    const refused = hello().policy;
    assert.equal(refused.installs_allowed, false);
    assert.ok(refused.error, JSON.stringify(refused));
    const trust = ask('chrome', { id: 2, cmd: 'trust', url: printer.url, sha256: printer.sha256 }).replies[0];
    assert.equal(trust.error.code, 'policy_invalid');
    reg('delete', POLICY, '/v', bad[1]);
  }
  assert.ok(!storeHashes('CurrentUser', 'ROOT').includes(printer.sha256));
  reg('delete', POLICY);
  reg('delete', 'HKCU\\Software\\Policies\\epos-trust');
  assert.equal(hello().policy.source, 'defaults');
});

test('windows_store = local_machine_trusted_people (HKLM policy): trust goes to LocalMachine TrustedPeople', async () => {
  const printer = await emulator({ address: '127.0.0.25' });
  reg('add', POLICY, '/v', 'windows_store', '/t', 'REG_SZ', '/d', 'local_machine_trusted_people');
  try {
    assert.deepEqual(hello().stores.map((s) => s.id), ['windows:LocalMachine/TrustedPeople']);
    const rootBefore = storeHashes('CurrentUser', 'ROOT');
    const trusted = ask('chrome', { id: 1, cmd: 'trust', url: printer.url, sha256: printer.sha256 }).replies[0];
    assert.equal(trusted.ok, true, JSON.stringify(trusted));
    assert.equal(trusted.result.stores[0].trust, 'trusted_peer');
    assert.ok(storeHashes('LocalMachine', 'TrustedPeople').includes(printer.sha256));
    assert.deepEqual(storeHashes('CurrentUser', 'ROOT').sort(), rootBefore.sort(), 'CurrentUser ROOT untouched');
    const untrusted = ask('chrome', { id: 2, cmd: 'untrust', sha256: printer.sha256 }).replies[0];
    assert.equal(untrusted.ok, true, JSON.stringify(untrusted));
    assert.ok(!storeHashes('LocalMachine', 'TrustedPeople').includes(printer.sha256));
  } finally {
    reg('delete', POLICY);
  }
});

// export-policy --format reg on one terminal, imported on another: the values written are the
// ones policy/windows/machine_policy.cpp reads (checked with wine's reg first, then by the host).
test('export-policy --format reg: imported with reg import, its HKLM policy is in force; removed again', async () => {
  const printer = await emulator({ address: '127.0.0.25' });
  const other = await emulator({ address: '127.0.0.25' });
  assert.notEqual(printer.sha256, other.sha256);
  const defaults = hello().policy;
  assert.equal(defaults.source, 'defaults');
  const file = join(work, 'exported.reg');
  const exported = wine([HOST_WIN, 'export-policy', printer.url, '--format', 'reg', '--out', winPath(file)], { check: false });
  assert.equal(exported.status, 0, exported.stdout + exported.stderr);

  // A pin left by an older import, which this one must replace rather than keep.
  reg('add', `${POLICY}\\pinned_sha256`, '/v', '2', '/t', 'REG_SZ', '/d', 'cd'.repeat(32));
  const chromeKey = `HKLM\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROME_ID}`;
  const edgeKey = `HKLM\\Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\${CHROME_ID}`;
  const firefoxKey = `HKLM\\Software\\Policies\\Mozilla\\Firefox\\3rdparty\\Extensions\\${FIREFOX_ID}`;
  try {
    wine(['reg', 'import', winPath(file)]);
    assert.deepEqual(regValues(`${POLICY}\\pinned_sha256`), { 1: ['REG_SZ', printer.sha256] });
    const networks = Object.entries(regValues(`${POLICY}\\allowed_networks`))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, [type, data]]) => (assert.equal(type, 'REG_SZ'), data));
    assert.deepEqual(networks, defaults.allowed_networks, 'the exporting terminal\'s networks');
    const pins = JSON.stringify([printer.sha256]);
    assert.deepEqual(regValues(`${chromeKey}\\policy`).pinnedFingerprints, ['REG_SZ', pins]);
    assert.deepEqual(regValues(`${edgeKey}\\policy`).pinnedFingerprints, ['REG_SZ', pins]);
    assert.deepEqual(regValues(firefoxKey).pinnedFingerprints, ['REG_SZ', pins]);

    const read = hello().policy;
    assert.equal(read.source, POLICY);
    assert.equal(read.error, undefined, JSON.stringify(read));
    assert.deepEqual(read.pinned_sha256, [printer.sha256]);
    assert.deepEqual(read.allowed_networks, networks);

    // Locked down on top (installs_allowed 0): the exported pin may be installed, nothing else.
    reg('add', POLICY, '/v', 'installs_allowed', '/t', 'REG_DWORD', '/d', '0');
    const refused = ask('chrome', { id: 1, cmd: 'trust', url: other.url, sha256: other.sha256 }).replies[0];
    assert.equal(refused.error?.code, 'policy_forbids', JSON.stringify(refused));
    assert.ok(!storeHashes('CurrentUser', 'ROOT').includes(other.sha256));
    const pinned = ask('chrome', { id: 2, cmd: 'trust', url: printer.url, sha256: printer.sha256 }).replies[0];
    assert.equal(pinned.ok, true, JSON.stringify(pinned));
    assert.ok(storeHashes('CurrentUser', 'ROOT').includes(printer.sha256));
    assert.equal(ask('chrome', { id: 3, cmd: 'untrust', sha256: printer.sha256 }).replies[0].ok, true);
  } finally {
    for (const key of [POLICY, chromeKey, edgeKey, firefoxKey]) {
      if (keyExists(key)) reg('delete', key);
    }
  }
  assert.equal(hello().policy.source, 'defaults');
  assert.ok(!storeHashes('CurrentUser', 'ROOT').includes(printer.sha256));
});

test('unregister removes the HKCU keys and the manifests, and nothing else', () => {
  const result = JSON.parse(wine([HOST_WIN, 'unregister', '--json']).stdout);
  for (const m of result.manifests) {
    assert.equal(m.action, 'removed', JSON.stringify(m));
    assert.equal(m.registry_action, 'removed');
    assert.equal(regDefault(m.registry), null, `${m.registry} is gone`);
    assert.ok(!existsSync(unixPath(m.path)));
  }
  assert.equal(wine(['reg', 'query', 'HKCU\\Software\\Google\\Chrome'], { check: false }).status, 0,
    'the vendor key itself stays');
  const launcher = wine([join(tools, 'nm_launcher.exe'), 'chrome', NAME, CHROME_ID, '--raw', 'NUL'], { check: false });
  assert.equal(launcher.status, 3);
  assert.match(launcher.stderr, /native messaging host not found/);
});

// Every value of a key, as wine's own `reg query` prints them ("    name    REG_SZ    data").
function regValues(key) {
  const run = wine(['reg', 'query', key], { check: false });
  if (run.status !== 0) return null;
  const values = {};
  for (const line of run.stdout.split('\n').map((l) => l.replace(/\r$/, ''))) {
    const match = line.match(/^ {4}(.*?) {4}(REG_[A-Z_]+) {4}(.*)$/);
    if (match) values[match[1]] = [match[2], match[3]];
  }
  return values;
}

// HKLM\Software as `reg export` writes it: one line per key header or value.
function hklmSoftware() {
  const file = join(work, `hklm-${++counter}.reg`);
  wine(['reg', 'export', 'HKLM\\Software', winPath(file), '/y']);
  const text = readFileSync(file).toString(readFileSync(file)[0] === 0xff ? 'utf16le' : 'utf8');
  return text.replace(/^\uFEFF/, '').replace(/\\\r?\n\s*/g, '').split(/\r?\n/).filter(Boolean);
}

test('register --system writes the HKLM keys the browsers read; unregister --system removes them and nothing else', () => {
  // Another product's host beside ours, which must survive; then the registry as it is.
  const sibling = 'HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\org.other.host';
  reg('add', sibling, '/ve', '/t', 'REG_SZ', '/d', 'C:\\other\\org.other.host.json');
  const before = hklmSoftware();

  const result = JSON.parse(wine([HOST_WIN, 'register', '--system', '--json']).stdout);
  assert.equal(result.scope, 'system');
  assert.equal(result.host, HOST_WIN);
  assert.deepEqual(result.manifests.map((m) => m.browser), Object.keys(BROWSER_KEYS));
  // What register added to HKLM\Software, as wine's `reg export` sees it (one export rather than a
  // query per key: each wine process costs 0.3-3 s): each key, with its default value only.
  const registered = hklmSoftware();
  const had = new Set(before);
  const added = registered.filter((line) => !had.has(line));
  const manifests = {};
  for (const m of result.manifests) {
    const key = `HKLM\\${BROWSER_KEYS[m.browser]}\\NativeMessagingHosts\\${NAME}`;
    assert.equal(m.registry, key);
    assert.equal(m.action, 'written');
    assert.match(m.path, /^C:\\Program Files\\epos-trust\\NativeMessagingHosts\\com\.epos_trust\.host\.\w+\.json$/);
    const header = `[HKEY_LOCAL_MACHINE\\${key.slice(5)}]`;
    const at = registered.findIndex((line) => line.toLowerCase() === header.toLowerCase());
    assert.ok(at >= 0, `${header} in HKLM`);
    assert.equal(registered[at + 1], `@="${m.path.replaceAll('\\', '\\\\')}"`, `${key} names the manifest`);
    assert.ok(!registered[at + 2] || registered[at + 2].startsWith('['), `${key} holds nothing else`);
    const manifest = JSON.parse(readFileSync(unixPath(m.path), 'utf8'));
    assert.equal(manifest.name, NAME);
    assert.equal(manifest.path, HOST_WIN);
    if (m.browser === 'firefox') assert.deepEqual(manifest.allowed_extensions, [FIREFOX_ID]);
    else assert.deepEqual(manifest.allowed_origins, [`chrome-extension://${CHROME_ID}/`]);
    manifests[m.browser] = m.path;
  }
  assert.equal(added.filter((line) => line.startsWith('@=')).length, result.manifests.length, added.join('\n'));
  assert.ok(!added.some((line) => /BraveSoftware/i.test(line)), 'no Brave key: Brave reads Chrome\'s');

  // Each browser finds the host through HKLM (no HKCU key is left since the per-user unregister:
  // the manifest the launcher read is the per-machine one).
  for (const browser of ['chrome', 'firefox']) {
    const run = ask(browser, { id: 1, cmd: 'hello' });
    assert.deepEqual(run.exits, [0], run.stderr);
    assert.equal(run.replies[0].ok, true, JSON.stringify(run.replies[0]));
    assert.equal(run.replies[0].result.caller.browser, browser);
    assert.ok(run.stderr.includes(`(manifest ${manifests[browser]})`), run.stderr);
  }

  const removed = JSON.parse(wine([HOST_WIN, 'unregister', '--system', '--json']).stdout);
  assert.equal(removed.scope, 'system');
  assert.equal(removed.manifests.length, Object.keys(BROWSER_KEYS).length);
  for (const m of removed.manifests) {
    assert.equal(m.action, 'removed', JSON.stringify(m));
    assert.equal(m.registry_action, 'removed');
    assert.ok(!existsSync(unixPath(m.path)));
  }
  // Nothing else changed: every line of HKLM\Software before register is still there (the other
  // host's key too), and the only lines left over are the empty parent keys register created
  // (Software\Chromium, ...\NativeMessagingHosts): no key of ours, no value.
  const after = hklmSoftware();
  const kept = new Set(after);
  assert.deepEqual(before.filter((line) => !kept.has(line)), [], 'nothing removed');
  assert.ok(after.includes('@="C:\\\\other\\\\org.other.host.json"'), 'the other host\'s key stays');
  for (const line of after.filter((l) => !had.has(l))) {
    const path = line.match(/^\[HKEY_LOCAL_MACHINE\\(Software[^\]]*)\]$/i)?.[1];
    assert.ok(path, `only empty keys are left: ${line}`);
    assert.ok(Object.values(BROWSER_KEYS).some((k) => `${k}\\NativeMessagingHosts`.toLowerCase().startsWith(path.toLowerCase())),
      `a parent of our keys: ${line}`);
  }
  reg('delete', sibling);
});
