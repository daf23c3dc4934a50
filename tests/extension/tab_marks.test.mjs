// lib/tab_marks.js with fakes of storage.session and the toolbar action: a mark is stored and
// lights that tab's badge with the localized title; clearing undoes both; a badge call that fails
// (the tab closed meanwhile) does not fail the mark; Firefox's badge reset is undone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TabMarks } from '../../extension/src/lib/tab_marks.js';

function fakes({ failBadge = false } = {}) {
  const calls = [];
  const store = new Map();
  const session = {
    set: async (items) => {
      for (const [k, v] of Object.entries(items)) store.set(k, v);
    },
    get: async (key) => (store.has(key) ? { [key]: store.get(key) } : {}),
    remove: async (key) => void store.delete(key),
  };
  const call = (name) => async (o) => {
    calls.push([name, o]);
    if (failBadge) throw new Error('No tab with id');
  };
  const action = { setBadgeText: call('text'), setBadgeBackgroundColor: call('color'), setTitle: call('title') };
  const t = (key) => `«${key}»`;
  return { calls, store, marks: new TabMarks({ action, session, t, now: () => 1234 }) };
}

test('mark: stored for the tab, red "!" badge, the localized warning title', async () => {
  const { calls, store, marks } = fakes();
  await marks.mark(7, 'https://127.0.0.25/', 'self_signed');
  assert.deepEqual(store.get('tab:7'), { url: 'https://127.0.0.25/', kind: 'self_signed', at: 1234 });
  assert.deepEqual(calls, [
    ['text', { tabId: 7, text: '!' }],
    ['color', { tabId: 7, color: '#b3261e' }],
    ['title', { tabId: 7, title: '«badgeTitle»' }],
  ]);
  assert.deepEqual(await marks.state(7), store.get('tab:7'));
  assert.equal(await marks.state(8), null);
});

test('clear: the mark gone, badge empty, the ordinary title back', async () => {
  const { calls, store, marks } = fakes();
  await marks.mark(7, 'https://127.0.0.25/', 'self_signed');
  calls.length = 0;
  await marks.clear(7);
  assert.equal(store.has('tab:7'), false);
  assert.deepEqual(calls, [
    ['text', { tabId: 7, text: '' }],
    ['title', { tabId: 7, title: '«actionTitle»' }],
  ]);
});

test('a badge call that fails does not fail the mark', async () => {
  const { store, marks } = fakes({ failBadge: true });
  await marks.mark(3, 'https://127.0.0.25/', 'self_signed');
  assert.ok(store.has('tab:3'));
  await marks.clear(3);
  assert.equal(store.has('tab:3'), false);
});

test('a closed tab forgets its mark', async () => {
  const { store, marks } = fakes();
  await marks.mark(7, 'https://127.0.0.25/', 'self_signed');
  await marks.forget(7);
  assert.equal(store.has('tab:7'), false);
});

test('tab updated: the badge set again only for a complete load of the marked URL', async () => {
  const { calls, marks } = fakes();
  await marks.mark(7, 'https://127.0.0.25/', 'self_signed');
  calls.length = 0;
  await marks.onTabUpdated(7, { status: 'loading' }, { url: 'https://127.0.0.25/' });
  await marks.onTabUpdated(7, { status: 'complete' }, { url: 'https://127.0.0.26/' });
  await marks.onTabUpdated(9, { status: 'complete' }, { url: 'https://127.0.0.25/' });
  assert.deepEqual(calls, []);
  await marks.onTabUpdated(7, { status: 'complete' }, { url: 'https://127.0.0.25/' });
  assert.deepEqual(
    calls.map(([name]) => name),
    ['text', 'color', 'title'],
  );
});
