// Starts the bundled ePOS printer emulator (tests/emulator/README.md) on a loopback address and
// waits for the one line of JSON it prints when it listens ({url, sha256, pem, ...}); resolves with
// that plus stop(). Port 0 = ephemeral; a fixed port lets a case put another printer on the very
// address and port a first one used (a swapped certificate, a rebinding).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export const EMULATOR = process.env.EPOS_EMULATOR_BIN;

if (!EMULATOR) {
  throw new Error('EPOS_EMULATOR_BIN must name the built epos-emulator binary (CTest sets it)');
}

export function startEmulator({ address = '127.0.0.25', port = 0, shape = 'good', extra = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(EMULATOR, ['--address', address, '--port', String(port), '--shape', shape, ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not start: ${stderr}`));
    }, 15000);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const info = JSON.parse(line);
      info.stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
        });
      resolve(info);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code}) before listening: ${stderr}`));
    });
  });
}
