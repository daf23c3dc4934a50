// lib/settings_sync.js with fake layers and appliers: the effective settings reach every applier,
// a slow managed layer does not hold the person's settings back, a failing applier is reported
// without stopping the others, and applications never overlap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SettingsSync } from '../../extension/src/lib/settings_sync.js';

const quietLog = () => {
  const errors = [];
  return { errors, error: (...args) => errors.push(args) };
};

test('local and managed merged; every applier gets the effective settings; current() resolves them', async () => {
  const seen = [];
  const sync = new SettingsSync({
    readLocal: async () => ({ networks: ['loopback'] }),
    readManaged: async () => ({ precheck: false }),
    appliers: [async (s) => seen.push(['a', s]), async (s) => seen.push(['b', s])],
  });
  sync.start();
  const settings = await sync.current();
  assert.deepEqual(settings.networks, ['loopback']);
  assert.equal(settings.precheck, false);
  assert.deepEqual(settings.locked, ['precheck']);
  assert.deepEqual(
    seen.map(([name, s]) => [name, s]),
    [
      ['a', settings],
      ['b', settings],
    ],
  );
});

test('a managed layer slower than the wait: the person settings first, then with the policy', async () => {
  let answerManaged;
  const seen = [];
  const sync = new SettingsSync({
    readLocal: async () => ({ precheck: true }),
    readManaged: () => new Promise((resolve) => (answerManaged = resolve)),
    appliers: [async (s) => seen.push(s.precheck)],
    managedWaitMs: 10,
  });
  sync.start();
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.deepEqual(seen, [true]);
  answerManaged({ precheck: false });
  assert.equal((await sync.current()).precheck, false);
  assert.deepEqual(seen, [true, false]);
});

test('a failing applier is logged, the others still run, the settings still resolve', async () => {
  const log = quietLog();
  let ran = false;
  const sync = new SettingsSync({
    readLocal: async () => ({}),
    readManaged: async () => ({}),
    appliers: [
      async () => {
        throw new Error('rules refused');
      },
      async () => void (ran = true),
    ],
    log,
  });
  const settings = await sync.start();
  assert.equal(ran, true);
  assert.equal(settings.precheck, true);
  assert.equal(log.errors.length, 1);
  assert.match(String(log.errors[0][1]), /rules refused/);
});

test('applications are one at a time, in order; only local and managed changes reapply', async () => {
  let running = 0;
  let most = 0;
  let reads = 0;
  const sync = new SettingsSync({
    readLocal: async () => ({ networks: [['loopback'], ['private'], ['link_local']][reads++ % 3] }),
    readManaged: async () => ({}),
    appliers: [
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
      },
    ],
  });
  sync.start();
  sync.onStorageChanged({}, 'local');
  sync.onStorageChanged({}, 'sync');
  sync.onStorageChanged({}, 'session');
  sync.onStorageChanged({}, 'managed');
  const last = await sync.current();
  assert.equal(reads, 3);
  assert.equal(most, 1);
  assert.deepEqual(last.networks, ['link_local']);
});

test('a failed application does not stop the next one', async () => {
  let fail = true;
  const sync = new SettingsSync({
    readLocal: async () => {
      if (fail) throw new Error('storage gone');
      return {};
    },
    readManaged: async () => ({}),
    appliers: [],
  });
  await assert.rejects(sync.start(), /storage gone/);
  fail = false;
  assert.equal((await sync.reapply()).precheck, true);
});
