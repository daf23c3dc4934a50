import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, pinnedSet, trustEffect } from '../../extension/src/lib/precheck.js';

const FP = 'cd'.repeat(32);
function inspect({ epos = true, verdict = 'usable', stores = [] } = {}) {
  return {
    target: { url: 'https://192.168.1.25', host: '192.168.1.25', port: 443 },
    certificate: { sha256: FP },
    epos: { is_epos: epos },
    verdict: { chrome: verdict, firefox: verdict },
    trusted: { journal: stores.length > 0, stores },
    findings: [],
  };
}

test('a printer error lets the navigation go on (the browser says what it says)', () => {
  assert.deepEqual(decide({ error: { code: 'unreachable' } }), { action: 'pass', reason: 'unreachable' });
  assert.deepEqual(decide({ error: { code: 'address_not_local' } }), { action: 'pass', reason: 'address_not_local' });
});

test('no working host: explain what to install', () => {
  for (const code of ['host_missing', 'host_forbidden', 'host_too_old', 'host_exited']) {
    assert.deepEqual(decide({ error: { code } }), { action: 'explain', reason: code });
  }
});

test('already trusted or not a printer: pass', () => {
  assert.equal(decide({ inspect: inspect({ stores: ['nss:x'] }), browser: 'chrome' }).reason, 'trusted');
  assert.equal(decide({ inspect: inspect({ epos: false }), browser: 'chrome' }).reason, 'not_epos');
});

test('pinned and usable: trust without a prompt; not pinned: prompt', () => {
  assert.deepEqual(decide({ inspect: inspect(), pinned: [FP], browser: 'firefox' }), { action: 'trust', reason: 'pinned' });
  assert.equal(decide({ inspect: inspect(), pinned: [], browser: 'firefox' }).action, 'prompt');
});

test('unusable or dangerous: explain, even when pinned', () => {
  assert.deepEqual(decide({ inspect: inspect({ verdict: 'unusable' }), pinned: [FP], browser: 'chrome' }), {
    action: 'explain',
    reason: 'unusable',
  });
  assert.equal(decide({ inspect: inspect({ verdict: 'dangerous' }), browser: 'firefox' }).action, 'explain');
});

test('pinned fingerprints come from the extension policy and the host policy', () => {
  const other = 'ef'.repeat(32);
  assert.deepEqual(pinnedSet({ pinned: [FP] }, { policy: { pinned_sha256: [other.toUpperCase(), 'bad'] } }).sort(), [FP, other].sort());
  assert.deepEqual(pinnedSet({ pinned: [] }, undefined), []);
});

test('trust effect from the per-store outcomes', () => {
  assert.equal(trustEffect({ stores: [{ outcome: 'installed', effective: 'now' }] }), 'now');
  assert.equal(trustEffect({ stores: [{ outcome: 'installed', effective: 'after_flush' }] }), 'after_flush');
  assert.equal(trustEffect({ stores: [{ outcome: 'already_present', effective: 'after_restart' }] }), 'after_restart');
  assert.equal(trustEffect({ stores: [{ outcome: 'failed' }] }), 'failed');
  assert.equal(trustEffect({}), 'failed');
});
