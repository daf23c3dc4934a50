// lib/tab_flush.js with a fake host and a fake ChromiumFlushes: "Apply without restarting" is
// offered only in Chromium, for an after-restart trust, where the host has the helper (never when
// the host cannot be asked); the flush is keyed by tab and confirmed by reloading that tab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostError } from '../../extension/src/lib/host_client.js';
import { TabFlush } from '../../extension/src/lib/tab_flush.js';

function tabFlush({ isFirefox = false, available = true } = {}) {
  const calls = [];
  const host = {
    chromiumFlushAvailable: async () => {
      calls.push(['available']);
      if (available instanceof Error) throw available;
      return available;
    },
  };
  const flushes = {
    start: async (key, origin, confirm) => (calls.push(['start', key, origin]), { state: 'done', confirm }),
    outcome: (key) => (calls.push(['outcome', key]), Promise.resolve('secure')),
  };
  const reload = async (tabId) => (calls.push(['reload', tabId]), 'secure');
  return { calls, flush: new TabFlush({ host, flushes, isFirefox, reload }) };
}

test('offered: Chromium, after_restart, helper present', async () => {
  assert.equal(await tabFlush().flush.offered('after_restart'), true);
  assert.equal(await tabFlush({ available: false }).flush.offered('after_restart'), false);
});

test('not offered, without asking the host: Firefox, or a trust already in effect', async () => {
  for (const [options, effect] of [
    [{ isFirefox: true }, 'after_restart'],
    [{}, 'now'],
    [{}, 'after_flush'],
  ]) {
    const { calls, flush } = tabFlush(options);
    assert.equal(await flush.offered(effect), false);
    assert.deepEqual(calls, []);
  }
});

test('not offered when the host cannot be asked', async () => {
  const { flush } = tabFlush({ available: new HostError('host_not_installed', 'no host') });
  assert.equal(await flush.offered('after_restart'), false);
});

test("start: keyed by the tab, the printer's origin, confirmed by reloading that tab", async () => {
  const { calls, flush } = tabFlush();
  const answer = await flush.start(12, 'https://127.0.0.25/status?x');
  assert.deepEqual(calls, [['start', 'tab:12', 'https://127.0.0.25']]);
  assert.equal(await answer.confirm(), 'secure');
  assert.deepEqual(calls.at(-1), ['reload', 12]);
  assert.equal(await flush.outcome(12), 'secure');
  assert.deepEqual(calls.at(-1), ['outcome', 'tab:12']);
});

test('start: not an https address is bad_url, nothing flushed', () => {
  const { calls, flush } = tabFlush();
  for (const url of ['http://127.0.0.25/', 'https://user@127.0.0.25/', 'not a url']) {
    assert.throws(
      () => flush.start(12, url),
      (e) => e instanceof HostError && e.code === 'bad_url',
    );
  }
  assert.deepEqual(calls, []);
});
