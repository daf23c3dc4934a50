// One native messaging port (connectNative: one host process) under a flood: 40 inspects of a
// printer that never completes a handshake, then one inspect of a good printer on the same port.
// The good one must be answered at once, not after the stalled ones (one after the other they
// took 3 s each: the good answer came after 2 minutes). Also: beyond the in-flight cap the answer
// is `busy` at once; replies are whole frames; the stalled ones are answered too, and the session
// ends only once they are.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame, HOST, CHROME_ORIGIN } from '../lib/host.mjs';
import { startEmulator } from '../lib/emulator.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';

const running = [];
const home = mkdtempSync(join(tmpdir(), 'epos-flood-home-'));
after(async () => {
  await Promise.all(running.map((e) => e.stop()));
  rmSync(home, { recursive: true, force: true });
});

async function emulator(options) {
  const e = await startEmulator(options);
  running.push(e);
  return e;
}

// A long-lived host: send(request) returns a promise of its reply (by id) and the time it took.
function openPort() {
  const child = spawn(HOST, [CHROME_ORIGIN], {
    env: scratchEnv(home, { base: process.env, stateDir: join(home, 'state') }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const waiting = new Map();
  const arrived = [];
  const log = [];
  let buffer = Buffer.alloc(0);
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
      const length = buffer.readUInt32LE(0);
      const message = JSON.parse(buffer.subarray(4, 4 + length).toString('utf8')); // whole frames only
      buffer = buffer.subarray(4 + length);
      arrived.push(message.id);
      log.push(message);
      const entry = waiting.get(message.id);
      if (entry) {
        waiting.delete(message.id);
        entry.resolve({ reply: message, ms: Date.now() - entry.sent });
      }
    }
  });
  const exited = new Promise((resolve) =>
    child.on("close", (status, signal) => resolve({ status, signal, rest: buffer.length, stderr })),
  );
  return {
    send(request) {
      return new Promise((resolve) => {
        waiting.set(request.id, { resolve, sent: Date.now() });
        child.stdin.write(frame(request));
      });
    },
    end() {
      child.stdin.end();
      return exited;
    },
    arrived,
    log,
  };
}

test('40 inspects of a stalled printer do not delay the next inspect on the same port', async () => {
  const stalled = await emulator({ address: '127.0.0.90', extra: ['--mode', 'stall'] });
  const good = await emulator({ address: '127.0.0.91' });
  const port = openPort();
  const flood = Array.from({ length: 40 }, (_, i) => port.send({ id: `s${i}`, cmd: 'inspect', url: stalled.url }));
  const { reply, ms } = await port.send({ id: 'good', cmd: 'inspect', url: good.url });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.result.certificate.sha256, good.sha256);
  // One after the other this took 40 x 3 s; concurrently it is one inspect's time.
  assert.ok(ms < 1500, `the good printer's inspect took ${ms} ms behind the flood`);
  const stalledReplies = await Promise.all(flood);
  for (const { reply: r } of stalledReplies) {
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'timeout', JSON.stringify(r.error));
  }
  // The stalled ones ran side by side too: all within about one handshake timeout (3 s).
  assert.ok(Math.max(...stalledReplies.map((r) => r.ms)) < 9000);
  const { status, signal, rest } = await port.end();
  assert.equal(status, 0);
  assert.equal(signal, null);
  assert.equal(rest, 0, 'a partial frame was left on stdout');
  assert.equal(port.arrived.length, 41);
  assert.equal(new Set(port.arrived).size, 41, 'each request answered exactly once');
});

test('beyond 64 requests in flight the answer is busy, at once; the port goes on serving', async () => {
  const stalled = await emulator({ address: '127.0.0.92', extra: ['--mode', 'stall'] });
  const port = openPort();
  const flood = Array.from({ length: 64 }, (_, i) => port.send({ id: i, cmd: 'inspect', url: stalled.url }));
  const { reply, ms } = await port.send({ id: 'over', cmd: 'inspect', url: stalled.url });
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, 'busy');
  assert.ok(ms < 1000, `busy took ${ms} ms`);
  // hello is answered on the reading thread, whatever runs.
  const hello = await port.send({ id: 'h', cmd: 'hello' });
  assert.equal(hello.reply.ok, true);
  assert.ok(hello.ms < 1000, `hello took ${hello.ms} ms`);
  for (const { reply: r } of await Promise.all(flood)) assert.equal(r.error.code, 'timeout');
  const { status } = await port.end();
  assert.equal(status, 0);
});

test('the input ends while requests run: the session ends after their replies are written', async () => {
  const stalled = await emulator({ address: '127.0.0.93', extra: ['--mode', 'stall'] });
  const port = openPort();
  const pending = [1, 2, 3].map((id) => port.send({ id, cmd: 'inspect', url: stalled.url }));
  const started = Date.now();
  const { status } = await port.end(); // EOF right after the requests
  assert.equal(status, 0);
  assert.ok(Date.now() - started >= 2500, 'the host waited for the running requests');
  for (const { reply } of await Promise.all(pending)) assert.equal(reply.error.code, 'timeout');
  assert.deepEqual([...port.arrived].sort(), [1, 2, 3], JSON.stringify(port.log) + (await port.end()).stderr);
});
