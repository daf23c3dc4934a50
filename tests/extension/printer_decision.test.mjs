// lib/printer_decision.js with a fake host: the POS flow's decision for a printer, with a host
// error part of the answer (never thrown) and the pinned fingerprints of both policies applied.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostError } from '../../extension/src/lib/host_client.js';
import { printerDecision } from '../../extension/src/lib/printer_decision.js';
import { mergeSettings } from '../../extension/src/lib/settings.js';

const SHA = 'AB'.repeat(32);
const inspect = {
  certificate: { sha256: SHA },
  epos: { is_epos: true },
  verdict: { chrome: 'usable', firefox: 'usable' },
  trusted: { stores: [] },
};

function decisionWith({ hello = { policy: {} }, inspectAnswer = inspect, error } = {}) {
  const asked = [];
  const host = {
    hello: async () => {
      if (error) throw error;
      return hello;
    },
    inspect: async (url) => (asked.push(url), inspectAnswer),
  };
  return { asked, decide: printerDecision({ host, settings: async () => mergeSettings({}, {}), browser: 'chrome' }) };
}

test('a new printer: prompt, with the inspect answer', async () => {
  const { asked, decide } = decisionWith();
  const outcome = await decide('https://192.168.1.25');
  assert.deepEqual(outcome, { decision: { action: 'prompt', reason: 'new_printer' }, inspect });
  assert.deepEqual(asked, ['https://192.168.1.25']);
});

test("pinned by the host's machine policy: trust", async () => {
  const { decide } = decisionWith({ hello: { policy: { pinned_sha256: [SHA] } } });
  assert.deepEqual((await decide('https://192.168.1.25')).decision, { action: 'trust', reason: 'pinned' });
});

test('a host error is the answer: its code, the decision made from it', async () => {
  const { decide } = decisionWith({ error: new HostError('host_not_installed', 'no host') });
  const outcome = await decide('https://192.168.1.25');
  assert.deepEqual(outcome.error, { code: 'host_not_installed', message: 'no host', details: undefined });
  assert.deepEqual(outcome.decision, { action: 'explain', reason: 'host_not_installed' });
  const other = await decisionWith({ error: new Error('port closed') }).decide('https://192.168.1.25');
  assert.deepEqual(other.error, { code: 'internal', message: 'port closed' });
  assert.equal(other.decision.action, 'pass');
});
