// Shared by the hostile-input catalogue: every case sends something
// broken or malicious to the real epos-trust binary and asserts two things, a clear error (a
// stable code and a sentence) and nothing lost (the session still answers, no store or journal
// changed, nothing but frames on stdout).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame, runHost, CHROME_ORIGIN } from '../../lib/host.mjs';
import { scratchEnv as homeEnv } from '../../lib/scratch_home.mjs';

export { frame, runHost, ask, runCli, CHROME_ORIGIN } from '../../lib/host.mjs';
export { startEmulator } from '../../lib/emulator.mjs';

export const HELLO = { id: 'after', cmd: 'hello' };

// A scratch HOME and state folder, so that no case can touch the person's real ones.
export function scratchEnv() {
  const home = mkdtempSync(join(tmpdir(), 'epos-hostile-'));
  return {
    home,
    env: homeEnv(home, { stateDir: join(home, 'state') }),
    journal: () => (existsSync(join(home, 'state/journal.json')) ? readFileSync(join(home, 'state/journal.json'), 'utf8') : null),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}

const scratch = scratchEnv();
process.on('exit', () => scratch.remove());

// Runs one session of raw bytes (Buffer or pieces) and returns {status, signal, replies, stderr}.
export function session(input, options = {}) {
  return runHost(input, { ...options, env: { ...scratch.env, ...(options.env ?? {}) } });
}

// Asserts a clear error: ok false, the stable code, a message a person can read.
export function assertError(reply, code, { id } = {}) {
  assert.equal(reply.ok, false, `expected ${code}, got ${JSON.stringify(reply).slice(0, 300)}`);
  assert.equal(reply.error.code, code, JSON.stringify(reply.error).slice(0, 300));
  assert.equal(typeof reply.error.message, 'string');
  assert.ok(reply.error.message.length >= 10, `message too short: "${reply.error.message}"`);
  if (id !== undefined) assert.deepEqual(reply.id, id);
}

// One hostile frame, then a hello on the same port: the hostile one gets `code`, the hello still
// gets its answer (the session survived, nothing after the bad message was lost).
export async function assertRefusedAndAlive(body, code, { id } = {}) {
  const { status, signal, replies } = await session([frame(body), frame(HELLO)]);
  assert.equal(signal, null, 'the host was killed by a signal');
  assert.equal(status, 0);
  assert.equal(replies.length, 2, `replies: ${JSON.stringify(replies).slice(0, 300)}`);
  // Replies come as requests finish (docs/protocol.md "Envelope"): matched by id.
  const alive = replies.find((r) => r.id === 'after');
  const refused = replies.find((r) => r !== alive);
  assertError(refused, code, { id });
  assert.equal(alive?.ok, true);
  return refused;
}

// One request as the extension would send it; returns the reply (status 0, one reply, no signal).
export async function request(body, { env = {}, args = [CHROME_ORIGIN], timeoutMs = 20000 } = {}) {
  const { status, signal, replies, stderr } = await session(frame(body), { env, args, timeoutMs });
  assert.equal(signal, null, `the host was killed by ${signal}: ${stderr}`);
  assert.equal(status, 0, stderr);
  assert.equal(replies.length, 1);
  return replies[0];
}

