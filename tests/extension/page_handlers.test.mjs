// lib/page_handlers.js with fake collaborators: each page question reaches the part that answers
// it with the message's own fields; untrusting forgets the session's answer for the printer's
// origins only after the host has untrusted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageHandlers } from '../../extension/src/lib/page_handlers.js';

function handlers({ untrustFails = false } = {}) {
  const calls = [];
  const rec =
    (name, value) =>
    async (...args) => (calls.push([name, ...args]), value);
  const host = {
    hello: rec('hello', { version: 1 }),
    list: rec('list', []),
    untrust: async (sha) => {
      calls.push(['untrust', sha]);
      if (untrustFails) throw new Error('store locked');
      return { removed: 1 };
    },
  };
  const checks = Object.fromEntries(['inspect', 'check', 'precheck', 'trust', 'exportCert', 'allow'].map((n) => [n, rec(n)]));
  const flush = { offered: rec('offered', true), start: rec('start'), outcome: rec('outcome', 'secure') };
  const marks = { state: rec('state', null), clear: rec('clear') };
  const h = pageHandlers({
    host,
    settings: async () => ({ precheck: true }),
    checks,
    forgetOrigin: rec('forget'),
    flush,
    marks,
    posHandlers: { posOffer: rec('posOffer') },
  });
  return { calls, h };
}

test('each question goes to its part with its fields', async () => {
  const { calls, h } = handlers();
  assert.deepEqual(await h.settings({}), { precheck: true });
  await h.hello({});
  await h.list({});
  await h.inspect({ url: 'u1' });
  await h.check({ url: 'u2' });
  await h.precheck({ url: 'u3' });
  await h.trust({ url: 'u4', sha256: 's', beforeFirstContact: true });
  await h.exportCert({ url: 'u5', sha256: 's' });
  await h.allow({ url: 'u6' });
  assert.equal(await h.flushOffered({ effect: 'after_restart' }), true);
  await h.flushChromium({ tabId: 4, url: 'u7' });
  assert.equal(await h.flushOutcome({ tabId: 4 }), 'secure');
  await h.tabState({ tabId: 5 });
  await h.clearTab({ tabId: 6 });
  await h.posOffer({ tabId: 7 });
  assert.deepEqual(calls, [
    ['hello'],
    ['list'],
    ['inspect', 'u1'],
    ['check', 'u2'],
    ['precheck', 'u3'],
    ['trust', 'u4', 's', true],
    ['exportCert', 'u5', 's'],
    ['allow', 'u6'],
    ['offered', 'after_restart'],
    ['start', 4, 'u7'],
    ['outcome', 4],
    ['state', 5],
    ['clear', 6],
    ['posOffer', { tabId: 7 }],
  ]);
});

test("untrust: the host first, then each of the printer's origins forgotten", async () => {
  const { calls, h } = handlers();
  assert.deepEqual(await h.untrust({ sha256: 'ab', origins: ['https://127.0.0.25', 'https://127.0.0.26'] }), { removed: 1 });
  assert.deepEqual(calls, [
    ['untrust', 'ab'],
    ['forget', 'https://127.0.0.25'],
    ['forget', 'https://127.0.0.26'],
  ]);
  const none = handlers();
  await none.h.untrust({ sha256: 'ab' });
  assert.deepEqual(none.calls, [['untrust', 'ab']]);
});

test('untrust refused by the host: the session answers stay', async () => {
  const { calls, h } = handlers({ untrustFails: true });
  await assert.rejects(h.untrust({ sha256: 'ab', origins: ['https://127.0.0.25'] }), /store locked/);
  assert.deepEqual(calls, [['untrust', 'ab']]);
});
