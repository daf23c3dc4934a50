// `epos-trust discover` against several emulated printers on 127.0.0.0/24 (docs/browser-behaviour.md §1: loopback
// only, never another address): which answer ePOS-Print, each one's verdict, bounded time, the
// progress bar on a terminal, refused input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startEmulator as startShared } from '../lib/emulator.mjs';
import { HOST, runCli } from '../lib/host.mjs';

// Every printer on the same port (below), as a scan needs: tests/lib/emulator.mjs takes a fixed port.
const start = (address, options = {}) => startShared({ address, port: PORT, ...options });

// One port for every printer, as on a shop network (443 there; a free high port here).
const PORT = String(20000 + (process.pid % 20000));
const printers = [];

before(async () => {
  printers.push(await start('127.0.0.71'));
  printers.push(await start('127.0.0.72'));
  printers.push(await start('127.0.0.73', { shape: 'ca-true' }));
  printers.push(await start('127.0.0.74', { extra: ['--mode', 'not-epos'] }));
  printers.push(await start('127.0.0.75', { extra: ['--mode', 'stall'] }));
});
after(async () => {
  for (const p of printers) await p.stop();
});

test('a /24 scan finds exactly the ePOS printers and judges each certificate', async () => {
  const t0 = Date.now();
  const r = await runCli(['discover', '127.0.0.0/24', '--port', PORT, '--timeout', '1000', '--json']);
  const elapsed = Date.now() - t0;
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.targets, 254);
  const found = Object.fromEntries(result.printers.map((p) => [p.url, p]));
  assert.deepEqual(Object.keys(found).sort(), [
    `https://127.0.0.71:${PORT}`,
    `https://127.0.0.72:${PORT}`,
    `https://127.0.0.73:${PORT}`,
  ]);
  assert.equal(found[`https://127.0.0.71:${PORT}`].sha256, printers[0].sha256);
  assert.equal(found[`https://127.0.0.71:${PORT}`].verdict.chrome, 'usable');
  // CA:TRUE: Chrome can pin it as a leaf, Firefox must never anchor it (docs/browser-behaviour.md §5).
  assert.equal(found[`https://127.0.0.73:${PORT}`].verdict.firefox, 'dangerous');
  const others = result.others.map((o) => o.url).sort();
  assert.deepEqual(others, [`https://127.0.0.74:${PORT}`, `https://127.0.0.75:${PORT}`]);
  // The stalled one is reported with its timeout, and the whole scan stays bounded.
  assert.equal(result.others.find((o) => o.url.includes('.75:')).error.code, 'timeout');
  console.log(`discover 127.0.0.0/24: ${elapsed} ms wall, ${result.elapsed_ms} ms inside`);
  assert.ok(elapsed < 3000, `a /24 took ${elapsed} ms`);
});

test('a list of addresses, with and without a port', async () => {
  const r = await runCli(['discover', `127.0.0.72:${PORT}`, '127.0.0.71', '--port', PORT, '--json']);
  const result = JSON.parse(r.stdout);
  assert.equal(result.targets, 2);
  assert.equal(result.printers.length, 2);
});

test('a network where no port is open (refused at once on loopback) is scanned fast', async () => {
  const r = await runCli(['discover', '127.0.1.0/24', '--port', PORT, '--json']);
  const result = JSON.parse(r.stdout);
  assert.equal(result.open, 0);
  assert.ok(result.elapsed_ms < 1500, `${result.elapsed_ms} ms`);
});

test('a progress bar on a terminal, none in a pipe', () => {
  const tty = spawnSync('script', ['-qec', `${HOST} discover 127.0.0.0/24 --port ${PORT} --timeout 1000`, '/dev/null'], {
    encoding: 'utf8',
    timeout: 20000,
  });
  assert.match(tty.stdout, /connect +\[#+\] 254\/254/);
  assert.match(tty.stdout, /3 ePOS printer\(s\)/);
  const pipe = spawnSync(HOST, ['discover', '127.0.0.0/24', '--port', PORT, '--timeout', '1000'], { encoding: 'utf8', timeout: 20000 });
  assert.doesNotMatch(pipe.stderr, /\[#/);
  assert.match(pipe.stdout, /SHA-256 /);
});

test('bad input is refused before anything is probed', async () => {
  for (const target of ['10.0.0.0/8', 'printer.lan', '127.0.0.1:99999', 'fd00::/64', '127.0.0.0/x']) {
    const r = await runCli(['discover', target, '--json']);
    assert.equal(r.status, 1, target);
    assert.equal(JSON.parse(r.stdout).error.code, 'bad_request', target);
  }
});
