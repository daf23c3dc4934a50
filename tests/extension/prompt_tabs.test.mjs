// lib/prompt_tabs.js with a fake tabs API: the prompt opens as an active tab in the POS tab's own
// window right after it, and closing brings the POS tab back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromptTabs } from '../../extension/src/lib/prompt_tabs.js';

function fakeTabs() {
  const calls = [];
  return {
    calls,
    create: async (props) => (calls.push(['create', props]), { id: 55, ...props }),
    update: async (id, props) => void calls.push(['update', id, props]),
    remove: async (id) => void calls.push(['remove', id]),
  };
}

test('opens next to the POS tab, active, in its window, with the question in the fragment', async () => {
  const tabs = fakeTabs();
  const prompts = new PromptTabs({ tabs, pageUrl: (p) => `chrome-extension://id/${p}` });
  const id = await prompts.open('q1-abc', { id: 9, windowId: 2, index: 4 });
  assert.equal(id, 55);
  assert.deepEqual(tabs.calls, [
    ['create', { url: 'chrome-extension://id/prompt/prompt.html#q1-abc', active: true, windowId: 2, index: 5, openerTabId: 9 }],
  ]);
  assert.equal(prompts.questionOf(55), 'q1-abc');
});

test('closing makes the POS tab active again, then removes the prompt; a tab already gone is fine', async () => {
  const tabs = fakeTabs();
  tabs.remove = async (id) => {
    tabs.calls.push(['remove', id]);
    throw new Error('No tab with id');
  };
  const prompts = new PromptTabs({ tabs, pageUrl: (p) => p });
  await prompts.open('q', { id: 9, windowId: 2, index: 0 });
  await prompts.close(55, 9);
  assert.deepEqual(tabs.calls.slice(1), [['update', 9, { active: true }], ['remove', 55]]);
  assert.equal(prompts.questionOf(55), null);
});
