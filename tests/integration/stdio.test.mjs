// The native messaging face of the real binary, over stdio, against every malformed input we
// know of: each gets its error reply with a stable code, and the host never crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, runHost, ask, CHROME_ORIGIN } from '../lib/host.mjs';

const MiB = 1024 * 1024;

function header(length) {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(length);
  return h;
}

function assertError(reply, code, id = null) {
  assert.equal(reply.ok, false, JSON.stringify(reply));
  assert.equal(reply.error.code, code, JSON.stringify(reply));
  assert.equal(typeof reply.error.message, 'string');
  assert.ok(reply.error.message.length > 0);
  assert.deepEqual(reply.id, id);
}

test('hello from Chromium names the caller and the protocol', async () => {
  const reply = await ask({ id: 1, cmd: 'hello' });
  assert.equal(reply.ok, true);
  assert.equal(reply.id, 1);
  assert.equal(reply.result.protocol, 1);
  assert.equal(reply.result.caller.browser, 'chrome');
  assert.equal(reply.result.caller.extension, CHROME_ORIGIN);
});

test('hello from Firefox (manifest path + add-on id) names Firefox', async () => {
  const reply = await ask(
    { id: 'a', cmd: 'hello' },
    { args: ['/home/x/.mozilla/native-messaging-hosts/com.epos_trust.host.json', 'epos-trust@epos-trust.org'] },
  );
  assert.equal(reply.id, 'a');
  assert.equal(reply.result.caller.browser, 'firefox');
  assert.equal(reply.result.caller.extension, 'epos-trust@epos-trust.org');
});

test('connectNative: several requests on one stream get replies in order', async () => {
  const { replies, status } = await runHost(
    Buffer.concat([1, 2, 3].map((id) => frame({ id, cmd: 'hello' }))),
  );
  assert.equal(status, 0);
  assert.deepEqual(replies.map((r) => r.id), [1, 2, 3]);
});

test('partial reads: a frame delivered one byte at a time is still read', async () => {
  const bytes = frame({ id: 9, cmd: 'hello' });
  const pieces = [...bytes].map((b) => Buffer.from([b]));
  const { replies } = await runHost(pieces, { pieceDelayMs: 1 });
  assert.equal(replies.length, 1);
  assert.equal(replies[0].id, 9);
  assert.equal(replies[0].ok, true);
});

test('zero-length frame: empty_frame, and the host reads on', async () => {
  const { replies, status } = await runHost(Buffer.concat([header(0), frame({ id: 2, cmd: 'hello' })]));
  assert.equal(status, 0);
  assertError(replies[0], 'empty_frame');
  assert.equal(replies[1].ok, true);
});

test('frame over 1 MiB: frame_too_large, then a clean exit', async () => {
  const { replies, status, signal } = await runHost(Buffer.concat([header(MiB + 1), Buffer.alloc(64)]));
  assert.equal(signal, null);
  assert.equal(status, 0);
  assert.equal(replies.length, 1);
  assertError(replies[0], 'frame_too_large');
});

test('a frame of exactly 1 MiB is read (and refused as JSON, not as size)', async () => {
  const body = Buffer.alloc(MiB, 0x20); // all spaces: not JSON
  const { replies } = await runHost(Buffer.concat([header(MiB), body]));
  assertError(replies[0], 'invalid_json');
});

test('EOF inside the length header: clean exit, no reply', async () => {
  const { replies, status, signal } = await runHost(Buffer.from([5, 0]));
  assert.equal(signal, null);
  assert.equal(status, 0);
  assert.equal(replies.length, 0);
});

test('EOF inside the body: clean exit, earlier replies kept', async () => {
  const { replies, status } = await runHost(
    Buffer.concat([frame({ id: 1, cmd: 'hello' }), header(100), Buffer.from('{"id":')]),
  );
  assert.equal(status, 0);
  assert.equal(replies.length, 1);
  assert.equal(replies[0].id, 1);
});

test('invalid UTF-8: invalid_utf8', async () => {
  const { replies } = await runHost(frame(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])));
  assertError(replies[0], 'invalid_utf8');
});

test('overlong UTF-8 and UTF-16 surrogates are refused', async () => {
  for (const bytes of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
    const body = Buffer.concat([Buffer.from('{"id":1,"cmd":"'), Buffer.from(bytes), Buffer.from('"}')]);
    const { replies } = await runHost(frame(body));
    assertError(replies[0], 'invalid_utf8');
  }
});

test('invalid JSON, and JSON that is not an object: invalid_json', async () => {
  for (const text of ['{"id":1,', 'null', '[1,2]', '"hello"', '42', '{"id":1}{"id":2}']) {
    const { replies } = await runHost(frame(text));
    assertError(replies[0], 'invalid_json');
  }
});

test('deep nesting is refused without crashing the parser', async () => {
  const text = '{"id":1,"cmd":"hello","x":' + '['.repeat(100000) + ']'.repeat(100000) + '}';
  const { replies, status } = await runHost(frame(text));
  assert.equal(status, 0);
  assertError(replies[0], 'invalid_json');
});

test('missing or wrongly typed id and cmd: bad_request', async () => {
  assertError(await ask({ cmd: 'hello' }), 'bad_request');
  assertError(await ask({ id: { a: 1 }, cmd: 'hello' }), 'bad_request');
  assertError(await ask({ id: 1.5, cmd: 'hello' }), 'bad_request');
  assertError(await ask({ id: 7 }), 'bad_request', 7);
  assertError(await ask({ id: 7, cmd: 42 }), 'bad_request', 7);
});

test('unknown command: unknown_command with the id echoed', async () => {
  assertError(await ask({ id: 'x', cmd: 'format-disk' }), 'unknown_command', 'x');
});

test('inspect without url, or with a url that is not a string: bad_request', async () => {
  assertError(await ask({ id: 1, cmd: 'inspect' }), 'bad_request', 1);
  assertError(await ask({ id: 2, cmd: 'inspect', url: 42 }), 'bad_request', 2);
  assertError(await ask({ id: 3, cmd: 'inspect', url: ['https://127.0.0.1'] }), 'bad_request', 3);
});

test('inspect of bad URLs: bad_url, and of a public address: address_not_local', async () => {
  for (const url of [
    'http://127.0.0.1',
    'https://user@127.0.0.1',
    'https://127.0.0.1:0',
    'https://127.0.0.1:70000',
    'https://127.1',
    'https://2130706433',
    'https://[::1',
    'https://exa mple.lan',
    'https://',
    'https://bücher.example',
  ]) {
    assertError(await ask({ id: 1, cmd: 'inspect', url }), 'bad_url', 1);
  }
  for (const url of ['https://8.8.8.8', 'https://[2001:4860:4860::8888]', 'https://[::ffff:8.8.8.8]', 'https://100.64.0.1']) {
    const reply = await ask({ id: 1, cmd: 'inspect', url });
    assertError(reply, 'address_not_local', 1);
  }
});

test('a huge string field is answered, and no reply exceeds 1 MiB', async () => {
  const url = 'https://127.0.0.1/' + 'a'.repeat(900 * 1024);
  const { replies, stdout } = await runHost(frame({ id: 1, cmd: 'inspect', url }));
  assertError(replies[0], 'bad_url', 1);
  assert.ok(stdout.length < MiB);
});

test('nothing but frames on stdout, even for the CLI-looking arguments of a browser', async () => {
  const { stdout, replies } = await runHost(frame({ id: 1, cmd: 'hello' }));
  assert.equal(stdout.length, 4 + stdout.readUInt32LE(0));
  assert.equal(replies.length, 1);
});

test('EPOS_TRUST_LOG: every request is logged to the file, never to stdout', async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const file = join(mkdtempSync(join(tmpdir(), 'epos-log-')), 'host.log');
  const { replies, stderr } = await runHost(
    Buffer.concat([frame({ id: 1, cmd: 'hello' }), frame({ id: 2, cmd: 'inspect', url: 'http://x' })]),
    { env: { EPOS_TRUST_LOG: file } },
  );
  assert.equal(replies.length, 2);
  const log = readFileSync(file, 'utf8');
  assert.match(log, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[\d+\] info hello ok in \d+ ms$/m);
  assert.match(log, /info inspect failed in \d+ ms: bad_url$/m);
  assert.match(stderr, /hello ok/);
});
