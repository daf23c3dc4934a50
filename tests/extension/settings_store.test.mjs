// lib/settings_store.js with a fake storage: Firefox's rejecting storage.managed (no policy names
// the extension) reads as no policy, only the person's own keys are written, and the layers merge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsStore } from '../../extension/src/lib/settings_store.js';

function fakeStorage({ local = {}, managed = {}, managedRejects = false } = {}) {
  const written = [];
  return {
    written,
    storage: {
      local: {
        get: async (keys) => Object.fromEntries(keys.filter((k) => k in local).map((k) => [k, local[k]])),
        set: async (values) => written.push(values),
      },
      managed: {
        get: async () => {
          if (managedRejects) throw new Error('Managed storage manifest not found');
          return managed;
        },
      },
    },
  };
}

test('a rejecting managed storage is no policy; the person settings apply', async () => {
  const store = settingsStore(fakeStorage({ local: { precheck: false }, managedRejects: true }));
  assert.deepEqual(await store.readManaged(), {});
  const settings = await store.loadSettings();
  assert.equal(settings.precheck, false);
  assert.deepEqual(settings.locked, []);
});

test('the managed layer wins and locks; saveLocal writes only the person keys', async () => {
  const api = fakeStorage({ local: { precheck: false }, managed: { precheck: true } });
  const store = settingsStore(api);
  const settings = await store.loadSettings();
  assert.equal(settings.precheck, true);
  assert.deepEqual(settings.locked, ['precheck']);
  await store.saveLocal({ precheck: true, pinned: ['x'], networks: ['loopback'] });
  assert.deepEqual(api.written, [{ precheck: true, networks: ['loopback'] }]);
});
