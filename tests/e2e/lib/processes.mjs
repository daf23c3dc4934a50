// Child processes of a test run (emulators, servers): started with a JSON "ready" line on stdout,
// always ended by their own pid when the run ends.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const children = new Set();

export function startWithReadyLine(command, args, { env, timeoutMs = 10000 } = {}) {
  const child = spawn(command, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} not ready in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, info: JSON.parse(line) });
      } catch (e) {
        reject(new Error(`${command} printed ${line}: ${e.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready: ${stderr}`));
    });
  });
}

export function stop(child) {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

export function stopAll() {
  for (const child of children) stop(child);
}

process.on('exit', stopAll);
