// lib/message_router.js with a fake runtime: only this extension is answered; its own pages may
// ask the page handlers, content scripts only the POS questions; answers and errors come back in
// the {ok, value} / {ok: false, error} envelope, an unknown type gets no answer at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostError } from '../../extension/src/lib/host_client.js';
import { messageRouter, serializeError } from '../../extension/src/lib/message_router.js';

const BASE = 'chrome-extension://extid/';
const runtime = { id: 'extid', getURL: (p) => `${BASE}${p}` };
const page = { id: 'extid', url: `${BASE}popup/popup.html` };
const content = { id: 'extid', url: 'https://pos.example.com/pos/ui', tab: { id: 3 }, frameId: 0 };

function router() {
  const calls = [];
  const onMessage = messageRouter({
    runtime,
    pageHandlers: {
      list: async () => (calls.push('list'), ['a']),
      fails: async () => {
        throw new HostError('unreachable', 'no answer', { host: '127.0.0.25' });
      },
      breaks: () => {
        throw new TypeError('boom');
      },
    },
    onPosMessage: async (message, sender) => (calls.push(['pos', message.type, sender.tab.id]), { outcome: 'direct' }),
  });
  // Resolves with [listener's return value, the response or 'none' shortly after].
  const send = (message, sender) =>
    new Promise((resolve) => {
      let response = 'none';
      const kept = onMessage(message, sender, (r) => (response = r));
      setTimeout(() => resolve([kept, response]), 10);
    });
  return { calls, send };
}

test("a page's question is answered by its handler, asynchronously (the listener keeps the channel)", async () => {
  const { calls, send } = router();
  assert.deepEqual(await send({ type: 'list' }, page), [true, { ok: true, value: ['a'] }]);
  assert.deepEqual(calls, ['list']);
});

test("a handler's error comes back as its code; anything else as internal", async () => {
  const { send } = router();
  assert.deepEqual(await send({ type: 'fails' }, page), [
    true,
    { ok: false, error: { code: 'unreachable', message: 'no answer', details: { host: '127.0.0.25' } } },
  ]);
  assert.deepEqual(await send({ type: 'breaks' }, page), [true, { ok: false, error: { code: 'internal', message: 'boom' } }]);
});

test('a content script asks only the POS questions; a page cannot ask them', async () => {
  const { calls, send } = router();
  assert.deepEqual(await send({ type: 'pos-print', hold: {} }, content), [true, { ok: true, value: { outcome: 'direct' } }]);
  assert.deepEqual(await send({ type: 'pos-cancel', id: 1 }, content), [true, { ok: true, value: { outcome: 'direct' } }]);
  assert.deepEqual(await send({ type: 'list' }, content), [false, 'none']);
  assert.deepEqual(await send({ type: 'pos-print' }, page), [false, 'none']);
  assert.deepEqual(calls, [
    ['pos', 'pos-print', 3],
    ['pos', 'pos-cancel', 3],
  ]);
});

test('another extension, an unknown type, no message: no answer, nothing run', async () => {
  const { calls, send } = router();
  assert.deepEqual(await send({ type: 'list' }, { ...page, id: 'other' }), [false, 'none']);
  assert.deepEqual(await send({ type: 'nope' }, page), [false, 'none']);
  assert.deepEqual(await send(undefined, page), [false, 'none']);
  // An inherited property of the handlers object is no handler.
  assert.deepEqual(await send({ type: 'constructor' }, page), [false, 'none']);
  assert.deepEqual(await send({ type: 'toString' }, page), [false, 'none']);
  assert.deepEqual(await send({ type: ['list'] }, page), [false, 'none']);
  assert.deepEqual(calls, []);
});

test('serializeError: host codes kept, anything else internal', () => {
  assert.deepEqual(serializeError(new HostError('bad_url', 'x')), { code: 'bad_url', message: 'x', details: undefined });
  assert.deepEqual(serializeError('plain'), { code: 'internal', message: 'plain' });
  assert.deepEqual(serializeError(undefined), { code: 'internal', message: 'undefined' });
});
