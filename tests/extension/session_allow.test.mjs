// lib/session_allow.js with a fake API of just the calls it makes: Chromium keeps one allow rule
// per origin in declarativeNetRequest's session rules, Firefox a list in storage.session; answers
// arriving together never share a rule id, forgetting removes only that origin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionAllow } from '../../extension/src/lib/session_allow.js';

function fakeDnr() {
  let rules = [];
  const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 1));
  return {
    rules: () => rules,
    declarativeNetRequest: {
      getSessionRules: () => later(rules.map((r) => ({ ...r }))),
      updateSessionRules: async ({ addRules = [], removeRuleIds = [] }) => {
        await later();
        for (const rule of addRules) {
          if (rules.some((r) => r.id === rule.id)) throw new Error(`duplicate rule id ${rule.id}`);
        }
        rules = rules.filter((r) => !removeRuleIds.includes(r.id)).concat(addRules);
      },
    },
  };
}

function fakeSession() {
  const store = {};
  return {
    store,
    storage: {
      session: {
        get: async (key) => (key in store ? { [key]: store[key] } : {}),
        set: async (values) => Object.assign(store, values),
      },
    },
  };
}

test('Chromium: two answers at once get two rules with two ids; forgetting one keeps the other', async () => {
  const api = fakeDnr();
  const allow = sessionAllow(api, false);
  await Promise.all([allow.allowOrigin('https://127.0.0.25'), allow.allowOrigin('https://127.0.0.26:8443')]);
  const ids = api.rules().map((r) => r.id);
  assert.equal(new Set(ids).size, 2);
  assert.deepEqual((await allow.allowedOrigins()).sort(), ['https://127.0.0.25', 'https://127.0.0.26:8443']);
  await allow.allowOrigin('https://127.0.0.25');
  assert.equal(api.rules().length, 2, 'allowing again adds no rule');
  await allow.forgetOrigin('https://127.0.0.25');
  assert.equal(await allow.isAllowed('https://127.0.0.25'), false);
  assert.equal(await allow.isAllowed('https://127.0.0.26:8443'), true);
});

test('Firefox: the list in storage.session, without duplicates; forgetting removes only that origin', async () => {
  const api = fakeSession();
  const allow = sessionAllow(api, true);
  assert.deepEqual(await allow.allowedOrigins(), []);
  await Promise.all([allow.allowOrigin('https://127.0.0.25'), allow.allowOrigin('https://127.0.0.25')]);
  await allow.allowOrigin('https://127.0.0.26');
  assert.deepEqual(api.store.allowedOrigins, ['https://127.0.0.25', 'https://127.0.0.26']);
  await allow.forgetOrigin('https://127.0.0.25');
  assert.deepEqual(api.store.allowedOrigins, ['https://127.0.0.26']);
  assert.equal(await allow.isAllowed('https://127.0.0.26'), true);
});

test('a failed change does not stop the next one', async () => {
  const api = fakeDnr();
  const allow = sessionAllow(api, false);
  const update = api.declarativeNetRequest.updateSessionRules;
  api.declarativeNetRequest.updateSessionRules = async () => {
    throw new Error('quota');
  };
  await assert.rejects(allow.allowOrigin('https://127.0.0.25'), /quota/);
  api.declarativeNetRequest.updateSessionRules = update;
  await allow.allowOrigin('https://127.0.0.26');
  assert.deepEqual(await allow.allowedOrigins(), ['https://127.0.0.26']);
});
