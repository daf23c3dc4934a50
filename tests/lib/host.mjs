// Drives the real epos-trust binary the way a browser does: argv of a native messaging launch
// (docs/browser-behaviour.md §4), frames on stdin, frames back on stdout.
import { spawn } from 'node:child_process';

export const HOST = process.env.EPOS_TRUST_BIN;
export const CHROME_ORIGIN = 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/';

if (!HOST) {
  throw new Error('EPOS_TRUST_BIN must name the built epos-trust binary (CTest sets it)');
}

export function frame(payload) {
  const body = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length); // native order: little-endian on every platform we build for
  return Buffer.concat([header, body]);
}

export function parseFrames(buffer) {
  const replies = [];
  let offset = 0;
  while (offset + 4 <= buffer.length) {
    const length = buffer.readUInt32LE(offset);
    if (offset + 4 + length > buffer.length) {
      throw new Error(`truncated reply frame: ${length} bytes announced`);
    }
    const text = buffer.subarray(offset + 4, offset + 4 + length).toString('utf8');
    replies.push({ length, message: JSON.parse(text) });
    offset += 4 + length;
  }
  if (offset !== buffer.length) {
    throw new Error(`${buffer.length - offset} stray bytes on stdout`);
  }
  return replies.map((r) => r.message);
}

// Writes `input` (Buffer or array of Buffers, written in pieces when given as an array) and
// returns {status, signal, replies, stderr} once the host has exited.
export function runHost(input, { args = [CHROME_ORIGIN], env = {}, timeoutMs = 20000, pieceDelayMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(HOST, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      try {
        resolve({ status, signal, stdout, replies: parseFrames(stdout), stderr: Buffer.concat(err).toString() });
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.on('error', () => {}); // the host may stop reading (oversized frame)
    const pieces = Array.isArray(input) ? input : [input];
    (async () => {
      for (const piece of pieces) {
        child.stdin.write(piece);
        if (pieceDelayMs) await new Promise((r) => setTimeout(r, pieceDelayMs));
      }
      child.stdin.end();
    })();
  });
}

// One request, one reply: what runtime.sendNativeMessage does.
export async function ask(request, options) {
  const { replies, status } = await runHost(frame(request), options);
  if (replies.length !== 1) throw new Error(`expected one reply, got ${replies.length}`);
  if (status !== 0) throw new Error(`host exited ${status}`);
  return replies[0];
}

// Runs the CLI face: returns {status, stdout, stderr}.
export function runCli(args, { env = {}, timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(HOST, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
