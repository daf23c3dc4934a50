// Hostile catalogue, part 3: servers that are not printers, or are hostile ones, on 127.0.0.x:
// the emulator's hostile modes (tests/emulator/README.md) and a few raw TCP servers made here.
// inspect must answer each with a clear error (or a report saying what is wrong), in bounded
// time, and the session must go on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { frame, session, request, assertError, startEmulator, HELLO } from './lib/hostile.mjs';

const running = [];
after(() => Promise.all(running.map((stop) => stop())));

async function emulator(address, options) {
  const e = await startEmulator({ address, ...options });
  running.push(e.stop);
  return e;
}

// A raw TCP server on a loopback address; `onConnection(socket)` plays the hostile part.
function rawServer(address, onConnection) {
  return new Promise((resolve) => {
    const sockets = new Set();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
      onConnection(socket);
    });
    server.listen(0, address, () => {
      const stop = () =>
        new Promise((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        });
      running.push(stop);
      resolve({ url: `https://${address}:${server.address().port}`, stop });
    });
  });
}

const inspect = (url, id = 's') => request({ id, cmd: 'inspect', url }, { timeoutMs: 30000 });

test('server: clear-text HTTP (not TLS): not_tls', async () => {
  const e = await emulator('127.0.0.60', { extra: ['--mode', 'not-tls'] });
  assertError(await inspect(e.url), 'not_tls');
});

test('server: accepts TCP and never answers: timeout within the limit (3 s)', async () => {
  const e = await emulator('127.0.0.61', { extra: ['--mode', 'stall'] });
  const started = Date.now();
  assertError(await inspect(e.url), 'timeout');
  const took = Date.now() - started;
  assert.ok(took >= 2500 && took < 10000, `took ${took} ms`);
});

test('server: stalls in the middle of the handshake (half a TLS record): timeout', async () => {
  const s = await rawServer('127.0.0.62', (socket) => {
    socket.once('data', () => socket.write(Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00, 0x02, 0x00])));
  });
  const started = Date.now();
  assertError(await inspect(s.url), 'timeout');
  assert.ok(Date.now() - started < 10000);
});

test('server: completes TLS, then sends garbage instead of HTTP: certificate reported, not ePOS', async () => {
  const e = await emulator('127.0.0.63', { extra: ['--mode', 'garbage'] });
  const reply = await inspect(e.url);
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.certificate.sha256, e.sha256);
  assert.equal(reply.result.epos.is_epos, false);
  assert.ok(reply.result.epos.error.length > 10);
  assert.ok(reply.result.findings.some((f) => f.code === 'not_epos'));
});

test('server: presents a 100-certificate chain: leaf reported, chain capped, reply under 1 MiB', async () => {
  const e = await emulator('127.0.0.64', { extra: ['--mode', 'huge-chain'] });
  const { replies } = await session(frame({ id: 'c', cmd: 'inspect', url: e.url }), { timeoutMs: 30000 });
  assert.equal(replies.length, 1);
  const reply = replies[0];
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.certificate.sha256, e.sha256);
  assert.ok(reply.result.chain.length <= 9, `chain of ${reply.result.chain.length}`);
  assert.ok(JSON.stringify(reply).length < 1024 * 1024);
});

test('server: presents a 1 MiB certificate: tls_failed, no crash', async () => {
  const e = await emulator('127.0.0.65', { extra: ['--mode', 'huge-cert'] });
  assertError(await inspect(e.url), 'tls_failed');
});

test('server: nothing listens there: unreachable', async () => {
  const s = await rawServer('127.0.0.66', () => {});
  await s.stop();
  assertError(await inspect(s.url), 'unreachable');
});

test('server: accepts and closes at once: tls_failed', async () => {
  const s = await rawServer('127.0.0.67', (socket) => socket.destroy());
  const reply = await inspect(s.url);
  assert.equal(reply.ok, false);
  assert.ok(['tls_failed', 'not_tls'].includes(reply.error.code), reply.error.code);
  assert.ok(reply.error.message.length > 10);
});

test('server: answers the ClientHello with random bytes: not_tls', async () => {
  const s = await rawServer('127.0.0.68', (socket) => {
    socket.once('data', () => socket.end(Buffer.from('\x00\xffrandom garbage that is not a TLS record\r\n'.repeat(20), 'latin1')));
  });
  assertError(await inspect(s.url), 'not_tls');
});

test('server: answers with a TLS alert (handshake_failure): tls_failed', async () => {
  const s = await rawServer('127.0.0.69', (socket) => {
    socket.once('data', () => socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])));
  });
  assertError(await inspect(s.url), 'tls_failed');
});

test('server: announces a 16 MiB TLS record then closes: tls_failed or not_tls, no crash', async () => {
  const s = await rawServer('127.0.0.70', (socket) => {
    socket.once('data', () => socket.end(Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff, 0x02, 0xff, 0xff, 0xff])));
  });
  const reply = await inspect(s.url);
  assert.equal(reply.ok, false);
  assert.ok(['tls_failed', 'not_tls'].includes(reply.error.code), reply.error.code);
});

test('server: a web server that is not an ePOS printer: reported as not_epos', async () => {
  const e = await emulator('127.0.0.71', { extra: ['--mode', 'not-epos'] });
  const reply = await inspect(e.url);
  assert.equal(reply.ok, true);
  assert.equal(reply.result.epos.is_epos, false);
  assert.ok(reply.result.findings.some((f) => f.code === 'not_epos'));
});

test('server: a printer that speaks only TLS 1.0: reported as old_tls (an error finding)', async () => {
  const e = await emulator('127.0.0.72', { extra: ['--tls-max', '1.0'] });
  const reply = await inspect(e.url);
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  const old = reply.result.findings.find((f) => f.code === 'old_tls');
  assert.ok(old, JSON.stringify(reply.result.findings.map((f) => f.code)));
  assert.equal(old.severity, 'error');
});

test('server: after a hostile server the same session still answers', async () => {
  const e = await emulator('127.0.0.73', { extra: ['--mode', 'not-tls'] });
  const { replies } = await session([frame({ id: 1, cmd: 'inspect', url: e.url }), frame(HELLO)]);
  assert.equal(replies.length, 2);
  // Replies come as requests finish (docs/protocol.md "Envelope"): matched by id.
  assertError(replies.find((r) => r.id === 1), 'not_tls');
  assert.equal(replies.find((r) => r.id !== 1).ok, true);
});
