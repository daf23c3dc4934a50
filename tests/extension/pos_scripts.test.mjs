// lib/pos_scripts.js with a fake `scripting`: the POS scripts are registered for exactly the
// configured origins (the hook in the MAIN world, top frame only), the old registration replaced,
// and none at all without a POS origin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POS_SCRIPT_IDS, syncPosScripts } from '../../extension/src/lib/pos_scripts.js';
import { mergeSettings } from '../../extension/src/lib/settings.js';

function fakeScripting(registered = []) {
  const calls = [];
  return {
    calls,
    getRegisteredContentScripts: async (filter) => (calls.push(['get', filter]), registered),
    unregisterContentScripts: async (filter) => void calls.push(['unregister', filter]),
    registerContentScripts: async (scripts) => void calls.push(['register', scripts]),
  };
}

test('configured origins: the old scripts unregistered, both registered for those origins only', async () => {
  const scripting = fakeScripting([{ id: 'pos-hook' }, { id: 'pos-bridge' }]);
  await syncPosScripts(scripting, mergeSettings({ odooOrigins: ['https://pos.example.com'] }, {}));
  assert.deepEqual(scripting.calls.slice(0, 2), [
    ['get', { ids: POS_SCRIPT_IDS }],
    ['unregister', { ids: ['pos-hook', 'pos-bridge'] }],
  ]);
  const [kind, scripts] = scripting.calls[2];
  assert.equal(kind, 'register');
  const byId = Object.fromEntries(scripts.map((s) => [s.id, s]));
  assert.deepEqual(Object.keys(byId).sort(), ['pos-bridge', 'pos-hook']);
  assert.deepEqual(byId['pos-hook'].js, ['pos/page_hook.js']);
  assert.equal(byId['pos-hook'].world, 'MAIN');
  assert.equal(byId['pos-bridge'].world, undefined);
  for (const s of scripts) {
    assert.deepEqual(s.matches, ['https://pos.example.com/*']);
    assert.equal(s.runAt, 'document_start');
    assert.equal(s.allFrames, false);
  }
});

test('no POS origin: nothing registered; nothing unregistered when nothing was', async () => {
  const scripting = fakeScripting([]);
  await syncPosScripts(scripting, mergeSettings({}, {}));
  assert.deepEqual(scripting.calls, [['get', { ids: POS_SCRIPT_IDS }]]);
});
