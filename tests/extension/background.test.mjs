// extension/src/background.js, the composition root, loaded against a recording fake of the
// WebExtension API (background_root.mjs, one process per browser): every listener is registered
// in the first turn, before any API call has answered (a woken service worker or event page gets
// only those), each browser gets its own detection and pre-connection check listeners, the
// settings reach the browser, and the messages are routed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const ROOT = new URL('./background_root.mjs', import.meta.url).pathname;
const load = (kind) => JSON.parse(execFileSync(process.execPath, [ROOT, kind], { encoding: 'utf8' }));
const paths = (report) => report.registered.map((r) => r.path).sort();
const COMMON = [
  'runtime.onConnect',
  'runtime.onInstalled',
  'runtime.onMessage',
  'runtime.onStartup',
  'storage.onChanged',
  'tabs.onRemoved',
  'tabs.onRemoved',
  'tabs.onUpdated',
  'webNavigation.onCompleted',
  'webNavigation.onErrorOccurred',
  'webRequest.onErrorOccurred',
];

for (const kind of ['chromium', 'firefox']) {
  test(`${kind}: every listener registered in the first turn; messages routed`, () => {
    const report = load(kind);
    for (const r of report.registered) assert.equal(r.firstTurn, true, `${r.path} registered late`);
    const expected = kind === 'firefox' ? [...COMMON, 'webRequest.onBeforeRequest'].sort() : COMMON;
    assert.deepEqual(paths(report), expected);
    assert.equal(report.settings.ok, true);
    assert.equal(report.settings.value.precheck, true);
    assert.equal(report.fromContentScript, 'no answer');
    assert.equal(report.unknownType, 'no answer');
  });
}

test("chromium: webRequest errors of main frames and the POS's requests; redirect rules and prediction applied", () => {
  const report = load('chromium');
  const onError = report.registered.find((r) => r.path === 'webRequest.onErrorOccurred');
  assert.deepEqual(onError.options, [{ urls: ['https://*/*'], types: ['main_frame', 'xmlhttprequest', 'other'] }]);
  assert.ok(report.applied.includes('declarativeNetRequest.updateSessionRules'));
  assert.ok(report.applied.includes('privacy.network.networkPredictionEnabled.set'));
  assert.ok(report.applied.includes('scripting.getRegisteredContentScripts'));
});

test('firefox: the blocking pre-connection listener on main frames; no redirect rules; webRequest errors only for the POS', () => {
  const report = load('firefox');
  const before = report.registered.find((r) => r.path === 'webRequest.onBeforeRequest');
  assert.deepEqual(before.options, [{ urls: ['https://*/*'], types: ['main_frame'] }, ['blocking']]);
  assert.deepEqual(report.beforeRequest, {});
  const onError = report.registered.find((r) => r.path === 'webRequest.onErrorOccurred');
  assert.deepEqual(onError.options, [{ urls: ['https://*/*'], types: ['xmlhttprequest', 'other'] }]);
  assert.equal(report.applied.includes('declarativeNetRequest.updateSessionRules'), false);
  assert.equal(report.applied.includes('privacy.network.networkPredictionEnabled.set'), false);
  assert.ok(report.applied.includes('scripting.getRegisteredContentScripts'));
});
