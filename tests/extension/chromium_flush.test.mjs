// The Chromium flush offer and its wait (extension/src/lib/chromium_flush.js): when the popup and
// the POS prompt offer "Apply without restarting", how long they wait, and what they report. The
// waits run on a simulated clock; probeSecure against real TLS servers on loopback (one with a
// certificate Node trusts, one without); the flush itself runs for real in tests/e2e/flush.test.mjs.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import {
  ChromiumFlushes,
  flushSeconds,
  offerChromiumFlush,
  probeSecure,
  waitUntilSecure,
} from '../../extension/src/lib/chromium_flush.js';

test('the flush is offered only in Chromium, after a trust that waits for a restart, where the helper is', () => {
  assert.equal(offerChromiumFlush({ isFirefox: false, effect: 'after_restart', available: true }), true);
  assert.equal(offerChromiumFlush({ isFirefox: false, effect: 'after_restart', available: false }), false);
  assert.equal(offerChromiumFlush({ isFirefox: false, effect: 'after_restart', available: undefined }), false);
  assert.equal(offerChromiumFlush({ isFirefox: true, effect: 'after_restart', available: true }), false);
  assert.equal(offerChromiumFlush({ isFirefox: false, effect: 'now', available: true }), false);
  assert.equal(offerChromiumFlush({ isFirefox: false, effect: 'failed', available: true }), false);
});

test('the seconds the person reads are the host\'s effective_in_ms rounded up', () => {
  assert.equal(flushSeconds(7000), 7);
  assert.equal(flushSeconds(17000), 17);
  assert.equal(flushSeconds(6500), 7);
  assert.equal(flushSeconds(0), 1);
  assert.equal(flushSeconds(undefined), 1);
});

// A clock that moves only when the code under test sleeps.
function simulatedClock() {
  let now = 0;
  const looks = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    looks,
    secureFrom: (at) => async () => {
      looks.push(now);
      return now >= at;
    },
  };
}

test('waitUntilSecure looks from 2 s before effective_in_ms, every 500 ms, and stops at the first secure look', async () => {
  const clock = simulatedClock();
  const secure = await waitUntilSecure(7000, clock.secureFrom(6700), clock);
  assert.equal(secure, true);
  assert.deepEqual(clock.looks, [5000, 5500, 6000, 6500, 7000]);
});

test('waitUntilSecure gives up 6 s after effective_in_ms: the browser still refuses', async () => {
  const clock = simulatedClock();
  const secure = await waitUntilSecure(7000, clock.secureFrom(Infinity), clock);
  assert.equal(secure, false);
  assert.equal(clock.looks[0], 5000);
  assert.equal(clock.looks.at(-1), 13000);
  assert.equal(clock.looks.length, 17);
});

test('a busy helper (17 s) is waited for as long', async () => {
  const clock = simulatedClock();
  assert.equal(await waitUntilSecure(17000, clock.secureFrom(16800), clock), true);
  assert.equal(clock.looks[0], 15000);
  assert.equal(clock.looks.at(-1), 17000);
});

test('ChromiumFlushes: start answers at once with the seconds, outcome follows the wait and the confirmation', async () => {
  const origins = [];
  let release;
  const flushes = new ChromiumFlushes({
    flush: async () => ({ available: true, state: 'started', effective_in_ms: 7000 }),
    isSecure: async (origin) => origins.push(origin) > 0,
    wait: (ms, isSecure) => new Promise((resolve) => (release = () => resolve(isSecure()))),
  });
  const started = await flushes.start('tab:4', 'https://127.0.0.25:8443', async () => 'secure');
  assert.deepEqual(started, { state: 'started', effectiveInMs: 7000, seconds: 7 });
  let settled = false;
  const outcome = flushes.outcome('tab:4').then((o) => ((settled = true), o));
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, 'the outcome waits for the flush to take effect');
  release();
  assert.equal(await outcome, 'secure');
  assert.deepEqual(origins, ['https://127.0.0.25:8443']);
  assert.equal(await flushes.outcome('tab:5'), 'none');
});

test('ChromiumFlushes: still refused, a failing confirmation, and a host error', async () => {
  const refused = new ChromiumFlushes({
    flush: async () => ({ state: 'busy', effective_in_ms: 17000 }),
    isSecure: async () => false,
    wait: async (ms, isSecure) => isSecure(),
  });
  assert.equal((await refused.start('k', 'https://127.0.0.25')).seconds, 17);
  assert.equal(await refused.outcome('k'), 'refused');

  const throwing = new ChromiumFlushes({
    flush: async () => ({ state: 'started', effective_in_ms: 7000 }),
    isSecure: async () => true,
    wait: async (ms, isSecure) => isSecure(),
  });
  await throwing.start('k', 'https://127.0.0.25', async () => {
    throw new Error('tab closed');
  });
  assert.equal(await throwing.outcome('k'), 'failed');

  const unavailable = new ChromiumFlushes({
    flush: async () => {
      throw Object.assign(new Error('no helper'), { code: 'flush_unavailable' });
    },
    isSecure: async () => true,
  });
  await assert.rejects(unavailable.start('k', 'https://127.0.0.25'), (e) => e.code === 'flush_unavailable');
  assert.equal(await unavailable.outcome('k'), 'none', 'nothing to wait for after a refused flush');
});

// Two TLS servers on loopback with openssl-made certificates: Node's fetch trusts one (through
// NODE_EXTRA_CA_CERTS in a child process) and not the other, as Chromium before and after the flush.
test('probeSecure: an answer over a verified connection is secure; a refused certificate or nothing listening is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'epos-probe-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const server = https.createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => res.writeHead(req.method === 'HEAD' ? 405 : 200).end(),
    );
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${server.address().port}`;
    try {
      assert.equal(await probeSecure(origin), false, 'a certificate this fetch does not trust is refused');
      assert.equal(await probeSecure('https://127.0.0.1:1'), false, 'nothing listening');
      // The same server through a fetch that trusts its certificate: secure, whatever the status.
      const script = `import('${new URL('../../extension/src/lib/chromium_flush.js', import.meta.url).href}')
        .then((m) => m.probeSecure('${origin}')).then((secure) => process.stdout.write(String(secure)));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') },
      });
      assert.equal(stdout, 'true');
    } finally {
      server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
