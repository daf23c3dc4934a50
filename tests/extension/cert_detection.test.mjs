// lib/cert_detection.js with a fake TabMarks: only a main-frame certificate error on a printer in
// the chosen networks marks the tab (Chromium and Firefox spellings, docs/browser-behaviour.md §3);
// Chromium's other request errors go to the POS; a main frame that loads clears the mark.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CertDetection } from '../../extension/src/lib/cert_detection.js';
import { mergeSettings } from '../../extension/src/lib/settings.js';

function detection(local = { networks: ['loopback', 'private'] }) {
  const calls = [];
  const marks = {
    mark: async (...a) => void calls.push(['mark', ...a]),
    clear: async (...a) => void calls.push(['clear', ...a]),
  };
  const d = new CertDetection({
    settings: async () => mergeSettings(local, {}),
    marks,
    onPosRequestError: async (details) => void calls.push(['pos', details.url]),
  });
  return { calls, d };
}

const chromiumError = 'net::ERR_CERT_AUTHORITY_INVALID';
const firefoxError = 'Error code 2153398258'; // MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT

test('a main-frame certificate error on a local printer marks the tab, in either spelling', async () => {
  const { calls, d } = detection();
  await d.onMainFrameError({ tabId: 4, frameId: 0, url: 'https://127.0.0.25/', error: chromiumError });
  await d.onMainFrameError({ tabId: 5, url: 'https://192.168.1.25/', error: firefoxError });
  assert.deepEqual(
    calls.map(([name, tabId, url]) => [name, tabId, url]),
    [
      ['mark', 4, 'https://127.0.0.25/'],
      ['mark', 5, 'https://192.168.1.25/'],
    ],
  );
  assert.equal(typeof calls[0][3], 'string');
});

test('no mark: a frame, no tab, another error, an address outside the chosen networks', async () => {
  const { calls, d } = detection({ networks: ['loopback'] });
  await d.onMainFrameError({ tabId: 4, frameId: 2, url: 'https://127.0.0.25/', error: chromiumError });
  await d.onMainFrameError({ tabId: -1, frameId: 0, url: 'https://127.0.0.25/', error: chromiumError });
  await d.onMainFrameError({ tabId: 4, frameId: 0, url: 'https://127.0.0.25/', error: 'net::ERR_CONNECTION_REFUSED' });
  await d.onMainFrameError({ tabId: 4, frameId: 0, url: 'https://192.168.1.25/', error: chromiumError });
  await d.onMainFrameError({ tabId: 4, frameId: 0, url: 'https://printer.example/', error: chromiumError });
  assert.deepEqual(calls, []);
});

test("Chromium's webRequest: main frames are detection, other requests go to the POS", async () => {
  const { calls, d } = detection();
  await d.onChromiumRequestError({ type: 'main_frame', tabId: 4, frameId: 0, url: 'https://127.0.0.25/', error: chromiumError });
  await d.onChromiumRequestError({ type: 'xmlhttprequest', tabId: 4, frameId: 0, url: 'https://127.0.0.25/x', error: chromiumError });
  assert.deepEqual(
    calls.map(([name]) => name),
    ['mark', 'pos'],
  );
  assert.equal(calls[1][1], 'https://127.0.0.25/x');
});

test('a main frame that loaded clears its tab; a sub-frame does not', async () => {
  const { calls, d } = detection();
  await d.onNavigationCompleted({ tabId: 4, frameId: 1 });
  await d.onNavigationCompleted({ tabId: 4, frameId: 0 });
  assert.deepEqual(calls, [['clear', 4]]);
});
