// lib/precheck_rules.js with a fake of the three Chromium calls it makes: the redirect rules
// replace the old ones with this extension's id in them, and network prediction is off exactly
// while the check is on (docs/browser-behaviour.md §6).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDIRECT_RULE_IDS } from '../../extension/src/lib/dnr_rules.js';
import { syncPrecheckRules } from '../../extension/src/lib/precheck_rules.js';
import { mergeSettings } from '../../extension/src/lib/settings.js';

function fakeChromium() {
  const calls = [];
  return {
    calls,
    runtime: { id: 'extid' },
    declarativeNetRequest: { updateSessionRules: async (o) => void calls.push(['rules', o]) },
    privacy: {
      network: {
        networkPredictionEnabled: {
          set: async (o) => void calls.push(['prediction.set', o]),
          clear: async (o) => void calls.push(['prediction.clear', o]),
        },
      },
    },
  };
}

test('check on: one redirect rule per chosen network, to this extension, prediction off', async () => {
  const api = fakeChromium();
  await syncPrecheckRules(api, mergeSettings({ networks: ['loopback', 'private'] }, {}));
  assert.equal(api.calls.length, 2);
  const [[kind, update], prediction] = api.calls;
  assert.equal(kind, 'rules');
  assert.deepEqual(update.removeRuleIds, [...REDIRECT_RULE_IDS]);
  assert.equal(update.addRules.length, 2);
  for (const rule of update.addRules) {
    assert.ok(REDIRECT_RULE_IDS.includes(rule.id));
    assert.match(JSON.stringify(rule.action), /extid/);
  }
  assert.deepEqual(prediction, ['prediction.set', { value: false }]);
});

test('check off: the redirect rules removed, none added, prediction back to the browser default', async () => {
  const api = fakeChromium();
  await syncPrecheckRules(api, mergeSettings({ precheck: false }, {}));
  assert.deepEqual(api.calls, [
    ['rules', { removeRuleIds: [...REDIRECT_RULE_IDS], addRules: [] }],
    ['prediction.clear', {}],
  ]);
});
