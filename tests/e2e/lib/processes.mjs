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

const running = (child) => child && child.exitCode === null && child.signalCode === null;

// SIGTERM, then SIGKILL if it is still there 2 s later (a server can wait on a connection a
// browser keeps open).
export function stop(child) {
  if (!running(child)) return;
  child.kill('SIGTERM');
  setTimeout(() => running(child) && child.kill('SIGKILL'), 2000).unref();
}

process.on('exit', () => {
  for (const child of children) if (running(child)) child.kill('SIGKILL');
});
