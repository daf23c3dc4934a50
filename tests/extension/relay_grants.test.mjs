// lib/relay_grants.js over a fake storage.session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelayGrants } from '../../extension/src/lib/relay_grants.js';

function fakeStorage() {
  const data = {};
  return { get: async (k) => (k in data ? { [k]: data[k] } : {}), set: async (o) => void Object.assign(data, o) };
}

test('grants are per (POS origin, printer), written one at a time', async () => {
  const g = new RelayGrants(fakeStorage());
  await Promise.all([g.add('https://a.test', 'https://192.168.1.25'), g.add('https://b.test', 'https://192.168.1.25'), g.add('https://a.test', 'https://192.168.1.26')]);
  assert.equal(await g.has('https://a.test', 'https://192.168.1.25'), true);
  assert.equal(await g.has('https://b.test', 'https://192.168.1.26'), false);
  await g.remove('https://a.test', 'https://192.168.1.25');
  assert.equal(await g.has('https://a.test', 'https://192.168.1.25'), false);
  await g.forgetPrinter('https://192.168.1.25');
  assert.deepEqual(await g.all(), ['https://a.test https://192.168.1.26']);
});
