// Starts the bundled ePOS printer emulator (tests/emulator/README.md) on a loopback address and
// waits for the one line of JSON it prints when it listens ({url, sha256, pem, ...}); resolves with
// that plus stop(). Port 0 = ephemeral; a fixed port lets a case put another printer on the very
// address and port a first one used (a swapped certificate, a rebinding). The one launcher of
// every suite (integration, faults, hostile, end to end, benchmarks).
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createInterface } from 'node:readline';

// The binary CTest builds; suites run by hand may pass `binary` instead.
export const EMULATOR = process.env.EPOS_EMULATOR_BIN;

const children = new Set();
const running = (child) => child.exitCode === null && child.signalCode === null;
process.on('exit', () => {
  for (const child of children) if (running(child)) child.kill('SIGKILL');
});

// `stderrFile`: write the emulator's log there instead of keeping it in memory (a caller that
// blocks in spawnSync cannot drain a pipe, and a full pipe stalls the emulator mid-handshake).
export function startEmulator({
  address = '127.0.0.25',
  port = 0,
  shape = 'good',
  extra = [],
  binary = EMULATOR,
  stderrFile,
  timeoutMs = 15000,
} = {}) {
  if (!binary) {
    throw new Error('EPOS_EMULATOR_BIN must name the built epos-emulator binary (CTest sets it)');
  }
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--address', address, '--port', String(port), '--shape', shape, ...extra], {
      stdio: ['ignore', 'pipe', stderrFile ? openSync(stderrFile, 'a') : 'pipe'],
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not start in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const info = JSON.parse(line);
      // SIGTERM, then SIGKILL if it is still there 2 s later (a server can wait on a connection a
      // browser keeps open); resolves when it has gone.
      info.stop = () =>
        new Promise((done) => {
          if (!running(child)) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
          setTimeout(() => running(child) && child.kill('SIGKILL'), 2000).unref();
        });
      resolve(info);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code}) before listening: ${stderr}`));
    });
  });
}
