// `relay` through the real binary over stdio against the real emulator, whose print log shows
// what arrived at the printer: a relayed print arrives and its answer comes back; everything the
// relay must refuse (not trusted, another page, a policy's origins, another path or method, too
// big, another certificate now, a dead or stalled printer) is refused with its code and nothing
// arrives. The machine policy cases run the host in a private mount namespace whose /etc is an
// overlay (the real /etc is never written): root, as CTest runs in CI.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ask, frame, parseFrames, HOST, CHROME_ORIGIN } from '../lib/host.mjs';
import { startEmulator } from '../lib/emulator.mjs';
import { RUNNER } from '../lib/isolation.mjs';
import { makeMachine } from '../faults/lib/machine.mjs';

const POS = 'https://pos.example.com';
const OTHER_POS = 'https://evil.example.net';
const PRINT =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
  '<epos-print xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print">' +
  '<text>Receipt 0001&#10;</text><cut type="feed"/></epos-print></s:Body></s:Envelope>';

const cleanup = [];
after(async () => {
  for (const undo of cleanup.reverse()) await undo();
});

function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function machine() {
  const m = makeMachine({ firefoxProfiles: 0 });
  cleanup.push(m.remove);
  return m;
}

// An emulator with a print log; prints() = what it accepted so far.
async function printer({ address, port = 0, mode, cert } = {}) {
  const log = join(scratch('epos-relay-log-'), 'prints.jsonl');
  const extra = ['--print-log', log];
  if (mode) extra.push('--mode', mode);
  if (cert) extra.push('--cert', cert.cert, '--key', cert.key);
  const e = await startEmulator({ address, port, extra });
  cleanup.push(() => e.stop());
  e.prints = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];
  return e;
}

function relayRequest(url, fields = {}) {
  return {
    id: 'r',
    cmd: 'relay',
    url,
    path: '/cgi-bin/epos/service.cgi',
    query: 'devid=local_printer&timeout=10000',
    method: 'POST',
    body: PRINT,
    content_type: 'text/xml',
    origin: POS,
    ...fields,
  };
}

async function trust(m, p, origin = POS) {
  const reply = await ask({ id: 't', cmd: 'trust', url: p.url, sha256: p.sha256, origin }, { env: m.env });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  return reply;
}

function assertError(reply, code) {
  assert.equal(reply.ok, false, JSON.stringify(reply).slice(0, 400));
  assert.equal(reply.error.code, code, JSON.stringify(reply.error));
  assert.ok(reply.error.message.length > 10);
}

function spkiPin(pem) {
  const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

function journal(m) {
  return JSON.parse(readFileSync(m.journalFile, 'utf8')).entries;
}

// One request to the host under machine policy `policy` (an object, or text for a broken file):
// the host runs in the namespace runner's private overlay of /etc (tests/lib/run-isolated.sh),
// with epos-trust/policy.json (root-owned, 0644) copied there first.
function askWithPolicy(policy, request, env) {
  const dir = scratch('epos-relay-policy-');
  const file = join(dir, 'policy.json');
  writeFileSync(file, typeof policy === 'string' ? policy : JSON.stringify(policy));
  const script =
    'mkdir -p /etc/epos-trust && cp "$1" /etc/epos-trust/policy.json && chmod 0644 /etc/epos-trust/policy.json && exec "$0" "$2"';
  return new Promise((resolve, reject) => {
    const child = spawn(RUNNER, ['--overlay', '/etc', '--', 'sh', '-c', script, HOST, file, CHROME_ORIGIN], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = [];
    let stderr = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        const replies = parseFrames(Buffer.concat(out));
        assert.equal(status, 0, stderr);
        assert.equal(replies.length, 1, stderr);
        resolve(replies[0]);
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.end(frame(request));
  });
}

test('a relayed print reaches the printer and its answer comes back; the journal records the origin and the key pin', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.70' });
  await trust(m, p);
  const [entry] = journal(m);
  assert.deepEqual(entry.pos_origins, [POS]);
  assert.equal(entry.spki_sha256, spkiPin(p.pem));

  const reply = await ask(relayRequest(p.url), { env: m.env });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  const r = reply.result;
  assert.deepEqual(Object.keys(r).sort(), ['body', 'content_type', 'elapsed_ms', 'sha256', 'status', 'status_text']);
  assert.equal(r.status, 200);
  assert.equal(r.status_text, 'OK');
  assert.match(r.content_type, /^text\/xml/);
  assert.match(r.body, /<response success="true"/);
  assert.equal(r.sha256, p.sha256);
  assert.ok(Number.isInteger(r.elapsed_ms) && r.elapsed_ms >= 0 && r.elapsed_ms < 5000);
  const prints = p.prints();
  assert.equal(prints.length, 1);
  assert.equal(prints[0].content_type, 'text/xml');
  assert.deepEqual(prints[0].elements, ['text', 'cut']);

  // The printer's own refusal comes back as its answer, not as a relay error.
  const other = await ask(relayRequest(p.url, { query: 'devid=other' }), { env: m.env });
  assert.equal(other.ok, true, JSON.stringify(other.error));
  assert.match(other.result.body, /success="false" code="DeviceNotFound"/);
  assert.equal(p.prints().length, 1);
});

test('a printer nobody trusted: relay_not_trusted, nothing arrives', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.71' });
  assertError(await ask(relayRequest(p.url), { env: m.env }), 'relay_not_trusted');
  assert.equal(p.prints().length, 0);
});

test('another POS page than the one trusted: relay_origin_not_allowed; a trust from that page adds it', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.72' });
  await trust(m, p);
  assertError(await ask(relayRequest(p.url, { origin: OTHER_POS }), { env: m.env }), 'relay_origin_not_allowed');
  assert.equal(p.prints().length, 0);

  // Trusting the installed certificate again from the other page: a normal successful trust.
  const again = await trust(m, p, OTHER_POS);
  assert.equal(again.result.stores[0].outcome, 'already_present');
  const entries = journal(m);
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0].pos_origins, [POS, OTHER_POS]);
  const reply = await ask(relayRequest(p.url, { origin: OTHER_POS }), { env: m.env });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(p.prints().length, 1);
});

test('an origin that is not an origin: bad_request (trust and relay), nothing installed or sent', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.73' });
  for (const origin of ['https://POS.example.com', 'https://pos.example.com/', 'http://pos.example.com', 'pos.example.com', '']) {
    const trusted = await ask({ id: 1, cmd: 'trust', url: p.url, sha256: p.sha256, origin: origin || 'x' }, { env: m.env });
    assertError(trusted, 'bad_request');
  }
  assert.equal(existsSync(m.journalFile), false);
  await trust(m, p);
  assertError(await ask(relayRequest(p.url, { origin: 'https://POS.example.com' }), { env: m.env }), 'bad_request');
  assertError(await ask(relayRequest(p.url, { timeout_ms: 100 }), { env: m.env }), 'bad_request');
  assertError(await ask(relayRequest(p.url, { timeout_ms: 60001 }), { env: m.env }), 'bad_request');
  assertError(await ask(relayRequest(p.url, { body: 7 }), { env: m.env }), 'bad_request');
  assert.equal(p.prints().length, 0);
});

test('only the ePOS path, POST and 512 KiB: relay_refused, nothing arrives', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.74' });
  await trust(m, p);
  const refusals = [
    { path: '/' },
    { path: '/cgi-bin/epos/service.cgi/../../admin' },
    { path: '/cgi-bin/fpmate.cgi' },
    { path: '/CGI-BIN/EPOS/SERVICE.CGI' },
    { method: 'GET' },
    { method: 'PUT' },
    { method: 'post' },
    { query: 'devid=local_printer#x' },
    { query: 'devid=local printer' },
    { body: 'x'.repeat(512 * 1024 + 1) },
  ];
  for (const fields of refusals) {
    const reply = await ask(relayRequest(p.url, fields), { env: m.env });
    assertError(reply, 'relay_refused');
  }
  assert.equal(p.prints().length, 0);
  // 512 KiB exactly is carried (the printer refuses it as a document: it arrived).
  const big = await ask(relayRequest(p.url, { body: 'x'.repeat(512 * 1024) }), { env: m.env });
  assert.equal(big.ok, true, JSON.stringify(big.error));
  assert.match(big.result.body, /SchemaError/);
});

test('the printer now presents another certificate: fingerprint_mismatch, nothing arrives at it', async () => {
  const m = machine();
  const first = await printer({ address: '127.0.0.75' });
  await trust(m, first);
  await first.stop();
  const impostor = await printer({ address: '127.0.0.75', port: first.port });
  assert.notEqual(impostor.sha256, first.sha256);
  const reply = await ask(relayRequest(first.url), { env: m.env });
  assertError(reply, 'fingerprint_mismatch');
  assert.equal(reply.error.details.presented_sha256, impostor.sha256);
  assert.equal(impostor.prints().length, 0);
});

test('a dead printer: unreachable; a stalled one: timeout within timeout_ms', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.76' });
  await trust(m, p);
  await p.stop();
  assertError(await ask(relayRequest(p.url), { env: m.env }), 'unreachable');

  const stalled = await printer({ address: '127.0.0.76', port: p.port, mode: 'stall' });
  const started = Date.now();
  const reply = await ask(relayRequest(p.url, { timeout_ms: 1500 }), { env: m.env });
  const took = Date.now() - started;
  assertError(reply, 'timeout');
  assert.ok(took >= 1400 && took < 4500, `took ${took} ms`);
  assert.equal(stalled.prints().length, 0);
});

test('machine policy pos_origins: the whole set of pages that may relay, and be recorded by trust', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.77' });
  await trust(m, p, POS);
  await trust(m, p, OTHER_POS);
  const policy = { pos_origins: [POS] };
  const ok = await askWithPolicy(policy, relayRequest(p.url), m.env);
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  assert.equal(p.prints().length, 1);
  assertError(await askWithPolicy(policy, relayRequest(p.url, { origin: OTHER_POS }), m.env), 'relay_origin_not_allowed');
  assert.equal(p.prints().length, 1);
  // trust from a page outside the list: refused, the journal unchanged.
  const before = readFileSync(m.journalFile, 'utf8');
  const refused = await askWithPolicy(
    policy,
    { id: 't', cmd: 'trust', url: p.url, sha256: p.sha256, origin: 'https://third.example.org' },
    m.env,
  );
  assertError(refused, 'policy_forbids');
  assert.equal(readFileSync(m.journalFile, 'utf8'), before);
  // hello shows the list; a malformed one refuses the whole file (fail closed).
  const hello = await askWithPolicy(policy, { id: 'h', cmd: 'hello' }, m.env);
  assert.deepEqual(hello.result.policy.pos_origins, [POS]);
  for (const bad of [{ pos_origins: 'https://pos.example.com' }, { pos_origins: ['https://pos.example.com/'] }, { pos_origins: [7] }]) {
    assertError(await askWithPolicy(bad, relayRequest(p.url), m.env), 'policy_invalid');
  }
  assert.equal(p.prints().length, 1);
});

test('an admin-pinned printer relays without a journal entry, and only what is pinned', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.78' });
  const reply = await askWithPolicy({ pinned_sha256: [p.sha256] }, relayRequest(p.url), m.env);
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.sha256, p.sha256);
  assert.equal(p.prints().length, 1);
  assert.equal(existsSync(m.journalFile), false);
  // Another printer under the same policy is not pinned: nothing is sent to it.
  const other = await printer({ address: '127.0.0.79' });
  assertError(await askWithPolicy({ pinned_sha256: [p.sha256] }, relayRequest(other.url), m.env), 'relay_not_trusted');
  assert.equal(other.prints().length, 0);
  // A pinned printer with pos_origins in force relays only for those pages.
  assertError(
    await askWithPolicy({ pinned_sha256: [p.sha256], pos_origins: [OTHER_POS] }, relayRequest(p.url), m.env),
    'relay_origin_not_allowed',
  );
  assert.equal(p.prints().length, 1);
});

test('relay checks the network policy: a public address is refused before anything is sent', async () => {
  const m = machine();
  assertError(await ask(relayRequest('https://8.8.8.8'), { env: m.env }), 'address_not_local');
  assertError(await ask(relayRequest('http://127.0.0.80'), { env: m.env }), 'bad_url');
});

test('an old journal without pos_origins and spki_sha256 still loads; its trusts relay for no page', async () => {
  const m = machine();
  const p = await printer({ address: '127.0.0.81' });
  await trust(m, p);
  const file = JSON.parse(readFileSync(m.journalFile, 'utf8'));
  for (const entry of file.entries) {
    delete entry.pos_origins;
    delete entry.spki_sha256;
  }
  writeFileSync(m.journalFile, JSON.stringify(file));
  const list = await ask({ id: 'l', cmd: 'list' }, { env: m.env });
  assert.equal(list.ok, true, JSON.stringify(list.error));
  assert.equal(list.result.entries.length, 1);
  assertError(await ask(relayRequest(p.url), { env: m.env }), 'relay_origin_not_allowed');
  await trust(m, p);  // the page asks again: recorded now, and the key pin with it
  assert.deepEqual(journal(m)[0].pos_origins, [POS]);
  assert.equal(journal(m)[0].spki_sha256, spkiPin(p.pem));
  assert.equal((await ask(relayRequest(p.url), { env: m.env })).ok, true);
  assert.equal(p.prints().length, 1);
});
