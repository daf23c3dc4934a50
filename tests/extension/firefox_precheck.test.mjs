// lib/firefox_precheck.js with fake collaborators: the blocking listener lets a navigation go on
// ({}) without asking the host when the check is off, the URL is no printer of the chosen
// networks, or the origin was answered this session; after the host's answer it goes on for pass
// and pinned-trust, and goes to the check page (the URL in its fragment) for anything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firefoxPrecheck } from '../../extension/src/lib/firefox_precheck.js';
import { mergeSettings } from '../../extension/src/lib/settings.js';

const CHECK = 'moz-extension://uuid/check/check.html';

function listener({ local = { networks: ['loopback'] }, allowed = [], action = 'prompt' } = {}) {
  const asked = [];
  const onBeforeRequest = firefoxPrecheck({
    settings: async () => mergeSettings(local, {}),
    isAllowed: async (origin) => allowed.includes(origin),
    precheck: async (url) => (asked.push(url), { decision: { action } }),
    checkPageUrl: CHECK,
  });
  return { asked, onBeforeRequest };
}

const nav = (url, tabId = 3) => ({ url, tabId, type: 'main_frame' });

test('a new printer goes to the check page, its URL in the fragment', async () => {
  const { asked, onBeforeRequest } = listener();
  assert.deepEqual(await onBeforeRequest(nav('https://127.0.0.25/x?y')), {
    redirectUrl: `${CHECK}#https://127.0.0.25/x?y`,
  });
  assert.deepEqual(asked, ['https://127.0.0.25/x?y']);
});

test('an explained printer goes to the check page too; pass and pinned trust go on', async () => {
  assert.ok((await listener({ action: 'explain' }).onBeforeRequest(nav('https://127.0.0.25/'))).redirectUrl);
  assert.deepEqual(await listener({ action: 'pass' }).onBeforeRequest(nav('https://127.0.0.25/')), {});
  assert.deepEqual(await listener({ action: 'trust' }).onBeforeRequest(nav('https://127.0.0.25/')), {});
});

test('goes on without asking: check off, no tab, outside the networks, not an IP, answered this session', async () => {
  for (const [options, details] of [
    [{ local: { networks: ['loopback'], precheck: false } }, nav('https://127.0.0.25/')],
    [{}, nav('https://127.0.0.25/', -1)],
    [{}, nav('https://192.168.1.25/')],
    [{}, nav('https://printer.example/')],
    [{ allowed: ['https://127.0.0.25'] }, nav('https://127.0.0.25/status')],
  ]) {
    const { asked, onBeforeRequest } = listener(options);
    assert.deepEqual(await onBeforeRequest(details), {}, JSON.stringify([options, details]));
    assert.deepEqual(asked, []);
  }
});
