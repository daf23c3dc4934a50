// Hostile catalogue, part 1: broken and malicious native messaging frames and requests sent to
// the real binary. One test per case; each asserts the error code and that nothing was lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, session, assertError, assertRefusedAndAlive, request, HELLO } from './lib/hostile.mjs';

const header = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

test('frames: a length header cut after 2 bytes ends the session cleanly, earlier replies kept', async () => {
  const r = await session([frame(HELLO), Buffer.from([5, 0])]);
  assert.equal(r.status, 0);
  assert.equal(r.signal, null);
  assert.equal(r.replies.length, 1);
  assert.equal(r.replies[0].ok, true);
});

test('frames: a body cut short (100 announced, 10 sent) ends cleanly, earlier replies kept', async () => {
  const r = await session([frame(HELLO), header(100), Buffer.from('{"id":1,"c')]);
  assert.equal(r.status, 0);
  assert.equal(r.replies.length, 1);
  assert.equal(r.replies[0].id, 'after');
});

test('frames: 1 MiB + 1 announced: frame_too_large, then a clean exit', async () => {
  const r = await session([header(1024 * 1024 + 1), Buffer.alloc(64, 0x7b)]);
  assert.equal(r.status, 0);
  assert.equal(r.replies.length, 1);
  assertError(r.replies[0], 'frame_too_large', { id: null });
});

test('frames: a 4 GiB length (0xFFFFFFFF) is refused at once without allocating it', async () => {
  const started = Date.now();
  const r = await session([header(0xffffffff)]);
  assert.equal(r.status, 0);
  assertError(r.replies[0], 'frame_too_large');
  assert.ok(Date.now() - started < 5000);
});

test('frames: a big-endian length (as a confused peer would send) is refused as too large', async () => {
  const body = Buffer.from(JSON.stringify(HELLO));
  const be = Buffer.alloc(4);
  be.writeUInt32BE(body.length);
  const r = await session([be, body]);
  assert.equal(r.status, 0);
  assertError(r.replies[0], 'frame_too_large');
});

test('frames: an empty frame: empty_frame, the next request is answered', async () => {
  await assertRefusedAndAlive(Buffer.alloc(0), 'empty_frame', { id: null });
});

test('frames: a frame of exactly 1 MiB is read and answered (not refused for its size)', async () => {
  const prefix = '{"id":1,"cmd":"hello","pad":"';
  const body = prefix + 'x'.repeat(1024 * 1024 - prefix.length - 2) + '"}';
  assert.equal(Buffer.byteLength(body), 1024 * 1024);
  const r = await session([frame(body), frame(HELLO)]);
  assert.equal(r.replies.length, 2);
  assert.equal(r.replies[0].ok, true);
  assert.equal(r.replies[1].ok, true);
});

test('frames: 1000 pipelined requests in one write are all answered, in order', async () => {
  const input = Buffer.concat(Array.from({ length: 1000 }, (_, i) => frame({ id: i, cmd: 'hello' })));
  const r = await session(input, { timeoutMs: 60000 });
  assert.equal(r.replies.length, 1000);
  r.replies.forEach((reply, i) => assert.equal(reply.id, i));
});

test('frames: a request dribbled one byte at a time is answered', async () => {
  const bytes = frame({ id: 'slow', cmd: 'hello' });
  const r = await session([...bytes].map((b) => Buffer.from([b])), { pieceDelayMs: 1 });
  assert.equal(r.replies.length, 1);
  assert.equal(r.replies[0].id, 'slow');
});

test('encoding: invalid UTF-8 (a lone 0xFF): invalid_utf8', async () => {
  await assertRefusedAndAlive(Buffer.from('{"id":1,"cmd":"hello","x":"\xff"}', 'latin1'), 'invalid_utf8');
});

test('encoding: an overlong UTF-8 encoding of "/" (C0 AF): invalid_utf8', async () => {
  await assertRefusedAndAlive(
    Buffer.concat([Buffer.from('{"id":1,"cmd":"inspect","url":"https:'), Buffer.from([0xc0, 0xaf, 0xc0, 0xaf]), Buffer.from('x"}')]),
    'invalid_utf8',
  );
});

test('encoding: a UTF-8 encoded UTF-16 surrogate (ED A0 80): invalid_utf8', async () => {
  await assertRefusedAndAlive(Buffer.concat([Buffer.from('{"id":1,"cmd":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), 'invalid_utf8');
});

test('encoding: a raw NUL byte in the frame: invalid_json', async () => {
  await assertRefusedAndAlive(Buffer.from('{"id":1,\0"cmd":"hello"}'), 'invalid_json');
});

test('json: text that is not JSON: invalid_json', async () => {
  await assertRefusedAndAlive('GET / HTTP/1.1\r\n\r\n', 'invalid_json', { id: null });
});

test('json: a JSON array instead of an object: invalid_json', async () => {
  await assertRefusedAndAlive('[{"id":1,"cmd":"hello"}]', 'invalid_json');
});

test('json: a bare JSON string / number: invalid_json', async () => {
  await assertRefusedAndAlive('"hello"', 'invalid_json');
  await assertRefusedAndAlive('42', 'invalid_json');
});

test('json: an object followed by trailing garbage: invalid_json', async () => {
  await assertRefusedAndAlive('{"id":1,"cmd":"hello"} {"id":2}', 'invalid_json');
});

test('json: a number too large for a double (1e999): invalid_json, no crash', async () => {
  await assertRefusedAndAlive('{"id":1,"cmd":"hello","x":1e999}', 'invalid_json');
});

test('json: an integer id beyond 64 bits: a clear error or an answer, no crash', async () => {
  const { replies, signal } = await session([frame('{"id":123456789012345678901234567890,"cmd":"hello"}'), frame(HELLO)]);
  assert.equal(signal, null);
  assert.equal(replies.length, 2);
  assert.equal(replies[1].ok, true);
  if (replies[0].ok === false) assertError(replies[0], 'bad_request');
});

test('json: an object cut in the middle: invalid_json', async () => {
  await assertRefusedAndAlive('{"id":1,"cmd":"hel', 'invalid_json');
});

test('json: 100 000 nested arrays are refused before parsing (no stack overflow)', async () => {
  await assertRefusedAndAlive(`{"id":1,"cmd":"hello","x":${'['.repeat(100000)}${']'.repeat(100000)}}`, 'invalid_json');
});

test('json: 50 000 nested objects are refused before parsing', async () => {
  await assertRefusedAndAlive(`{"id":1,"cmd":"hello","x":${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}}`, 'invalid_json');
});

test('json: 50 000 unclosed brackets (nesting that never ends): invalid_json', async () => {
  await assertRefusedAndAlive(`{"id":1,"x":${'['.repeat(50000)}`, 'invalid_json');
});

test('types: "id" true: bad_request with a null id', async () => {
  await assertRefusedAndAlive({ id: true, cmd: 'hello' }, 'bad_request', { id: null });
});

test('types: "id" a float: bad_request', async () => {
  await assertRefusedAndAlive({ id: 1.5, cmd: 'hello' }, 'bad_request', { id: null });
});

test('types: "id" an object: bad_request', async () => {
  await assertRefusedAndAlive({ id: { a: 1 }, cmd: 'hello' }, 'bad_request', { id: null });
});

test('types: no "id" at all: bad_request', async () => {
  await assertRefusedAndAlive({ cmd: 'hello' }, 'bad_request', { id: null });
});

test('types: "cmd" a number: bad_request with the id echoed', async () => {
  await assertRefusedAndAlive({ id: 5, cmd: 7 }, 'bad_request', { id: 5 });
});

test('types: "cmd" missing: bad_request with the id echoed', async () => {
  await assertRefusedAndAlive({ id: 'x' }, 'bad_request', { id: 'x' });
});

test('types: "url" a number: bad_request naming the field', async () => {
  const reply = await assertRefusedAndAlive({ id: 1, cmd: 'inspect', url: 443 }, 'bad_request');
  assert.match(reply.error.message, /url/);
});

test('types: "url" null: bad_request', async () => {
  await assertRefusedAndAlive({ id: 1, cmd: 'inspect', url: null }, 'bad_request');
});

test('types: trust "sha256" an array: bad_request', async () => {
  await assertRefusedAndAlive({ id: 1, cmd: 'trust', url: 'https://127.0.0.1', sha256: ['ab'] }, 'bad_request');
});

test('types: trust "sha256" 63 hex digits: bad_request', async () => {
  await assertRefusedAndAlive({ id: 1, cmd: 'trust', url: 'https://127.0.0.1', sha256: 'a'.repeat(63) }, 'bad_request');
});

test('types: untrust "sha256" 64 characters that are not hex: bad_request', async () => {
  await assertRefusedAndAlive({ id: 1, cmd: 'untrust', sha256: 'g'.repeat(64) }, 'bad_request');
});

test('commands: an unknown command: unknown_command with the id echoed', async () => {
  await assertRefusedAndAlive({ id: 9, cmd: 'format-disk' }, 'unknown_command', { id: 9 });
});

test('commands: a command in other case ("HELLO") is unknown', async () => {
  await assertRefusedAndAlive({ id: 9, cmd: 'HELLO' }, 'unknown_command', { id: 9 });
});

test('commands: a prototype-looking command ("__proto__", "constructor") is unknown', async () => {
  await assertRefusedAndAlive({ id: 9, cmd: '__proto__' }, 'unknown_command');
  await assertRefusedAndAlive({ id: 9, cmd: 'constructor' }, 'unknown_command');
});

test('huge: a 1 MiB "id" (every reply echoes it): bad_request, no crash, the session goes on', async () => {
  const prefix = '{"cmd":"hello","id":"';
  const body = prefix + 'i'.repeat(1024 * 1024 - prefix.length - 2) + '"}';
  const reply = await assertRefusedAndAlive(body, 'bad_request', { id: null });
  assert.ok(JSON.stringify(reply).length < 4096);
});

test('huge: a 1 MiB "cmd": unknown_command with a short reply, no crash', async () => {
  const prefix = '{"id":1,"cmd":"';
  const body = prefix + 'c'.repeat(1024 * 1024 - prefix.length - 2) + '"}';
  const reply = await assertRefusedAndAlive(body, 'unknown_command', { id: 1 });
  assert.ok(JSON.stringify(reply).length < 4096);
});

test('huge: a 1 MiB "url": bad_url with a short reply', async () => {
  const prefix = '{"id":1,"cmd":"inspect","url":"https://';
  const body = prefix + 'a'.repeat(1024 * 1024 - prefix.length - 2) + '"}';
  const reply = await assertRefusedAndAlive(body, 'bad_url', { id: 1 });
  assert.ok(JSON.stringify(reply).length < 4096);
});

test('huge: a 1 MiB "sha256" for trust: bad_request with a short reply', async () => {
  const prefix = '{"id":1,"cmd":"trust","url":"https://127.0.0.1","sha256":"';
  const body = prefix + 'a'.repeat(1024 * 1024 - prefix.length - 2) + '"}';
  const reply = await assertRefusedAndAlive(body, 'bad_request', { id: 1 });
  assert.ok(JSON.stringify(reply).length < 4096);
});

test('huge: 50 000 fields in one request are ignored, the command runs', async () => {
  const fields = Object.fromEntries(Array.from({ length: 50000 }, (_, i) => [`f${i}`, i]));
  const reply = await request({ id: 1, cmd: 'hello', ...fields });
  assert.equal(reply.ok, true);
});

test('huge: a URL with an escaped NUL ("\\u0000"): bad_url', async () => {
  await assertRefusedAndAlive({ id: 1, cmd: 'inspect', url: 'https://127.0.0.1\u0000.evil.example' }, 'bad_url');
});
