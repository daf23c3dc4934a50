// HostClient (extension/src/lib/host_client.js) against the real host binary, spoken to over
// native messaging framing exactly as a browser does: a port object whose connectNative spawns
// the host with Chromium's argv (docs/browser-behaviour.md §4). CTest passes EPOS_TRUST_BIN.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HOST_NAME, HostClient, HostError, PROTOCOL, disconnectCode } from '../../extension/src/lib/host_client.js';
import { scratchEnv } from '../lib/scratch_home.mjs';

const HOST = process.env.EPOS_TRUST_BIN;
const ORIGIN = 'chrome-extension://fmkalmmejklplbcdonjleedaiepfagbf/';

function listeners() {
  const list = [];
  return { addListener: (f) => list.push(f), fire: (...a) => list.forEach((f) => f(...a)) };
}

// A stand-in for runtime.connectNative that launches `binary` like Chromium does.
function nodeRuntime(binary, { env } = {}) {
  return {
    connectNative(name) {
      assert.equal(name, HOST_NAME);
      const onMessage = listeners();
      const onDisconnect = listeners();
      const port = { onMessage, onDisconnect, error: null };
      if (!existsSync(binary)) {
        // What Chromium reports when no manifest names the host.
        queueMicrotask(() => {
          port.error = { message: 'Specified native messaging host not found.' };
          onDisconnect.fire(port);
        });
        port.postMessage = () => {};
        port.disconnect = () => {};
        return port;
      }
      const child = spawn(binary, [ORIGIN], { stdio: ['pipe', 'pipe', 'inherit'], env: env ?? process.env });
      let buffer = Buffer.alloc(0);
      child.stdout.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
          const length = buffer.readUInt32LE(0);
          onMessage.fire(JSON.parse(buffer.subarray(4, 4 + length).toString('utf8')));
          buffer = buffer.subarray(4 + length);
        }
      });
      child.on('exit', () => {
        port.error = { message: 'Native host has exited.' };
        onDisconnect.fire(port);
      });
      port.postMessage = (message) => {
        const body = Buffer.from(JSON.stringify(message), 'utf8');
        const header = Buffer.alloc(4);
        header.writeUInt32LE(body.length);
        child.stdin.write(Buffer.concat([header, body]));
      };
      port.disconnect = () => child.stdin.end();
      return port;
    },
  };
}

test('disconnect messages of both browsers map to what the person must do', () => {
  assert.equal(disconnectCode('Specified native messaging host not found.'), 'host_missing');
  assert.equal(disconnectCode('No such native application com.epos_trust.host'), 'host_missing');
  assert.equal(disconnectCode('Access to the specified native messaging host is forbidden.'), 'host_forbidden');
  assert.equal(disconnectCode('Native host has exited.'), 'host_exited');
});

test('a missing host is reported as host_missing', async () => {
  const client = new HostClient(nodeRuntime('/nonexistent/epos-trust'));
  await assert.rejects(client.hello(), (e) => e instanceof HostError && e.code === 'host_missing');
});

test('the real host: hello with the protocol check, then inspect errors by code', { skip: !HOST && 'EPOS_TRUST_BIN not set' }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'epos-host-client-'));
  const client = new HostClient(nodeRuntime(HOST, { env: scratchEnv(home, { base: process.env }) }), { idleMs: 100 });
  const hello = await client.hello();
  assert.equal(hello.name, 'epos-trust');
  assert.ok(hello.protocol >= PROTOCOL);
  assert.equal(hello.caller.browser, 'chrome');
  // Several requests on one port, answered by id.
  const [bad, far] = await Promise.allSettled([client.inspect('http://127.0.0.25'), client.inspect('https://8.8.8.8')]);
  assert.equal(bad.reason.code, 'bad_url');
  assert.equal(far.reason.code, 'address_not_local');
  const list = await client.list();
  assert.ok(Array.isArray(list.entries));
  client.close();
  rmSync(home, { recursive: true, force: true });
});

test('a host that answers an older protocol is "too old"', async () => {
  const fake = {
    connectNative() {
      const onMessage = listeners();
      return {
        onMessage,
        onDisconnect: listeners(),
        postMessage: (m) => queueMicrotask(() => onMessage.fire({ id: m.id, ok: true, result: { protocol: 0 } })),
        disconnect() {},
      };
    },
  };
  await assert.rejects(new HostClient(fake).hello(), (e) => e.code === 'host_too_old');
});

// hello's chromium_flush and flush-chromium through the real host, with a unix socket that
// answers as installers/linux/epos-trust-flush does (EPOS_TRUST_FLUSH_SOCKET names it: no systemd
// here). The helper itself runs in tests/e2e/flush.test.mjs.
test('the real host: the Chromium flush is offered only where its socket is, and asked through it', { skip: !HOST && 'EPOS_TRUST_BIN not set' }, async () => {
  const { createServer } = await import('node:net');
  const home = mkdtempSync(join(tmpdir(), 'epos-host-client-flush-'));
  const socket = join(home, 'flush.sock');
  const env = scratchEnv(home, { base: process.env, extra: { EPOS_TRUST_FLUSH_SOCKET: socket } });
  const client = new HostClient(nodeRuntime(HOST, { env }), { idleMs: 100 });
  let connections = 0;
  const server = createServer((connection) => {
    connections += 1;
    connection.end('started\n');
  });
  try {
    assert.equal(await client.chromiumFlushAvailable(), false, 'no socket yet');
    await assert.rejects(client.flushChromium(), (e) => e instanceof HostError && e.code === 'flush_unavailable');
    await new Promise((resolve) => server.listen(socket, resolve));
    // Asked afresh on the same port: the answer follows the socket, and asking does not connect.
    assert.equal(await client.chromiumFlushAvailable(), true, 'the socket is there');
    assert.equal(connections, 0, 'hello must not start a flush');
    assert.deepEqual(await client.flushChromium(), { available: true, state: 'started', effective_in_ms: 7000 });
    assert.equal(connections, 1);
  } finally {
    client.close();
    server.close();
    rmSync(home, { recursive: true, force: true });
  }
});
