import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupFingerprint, normalizeFingerprint, sameFingerprint } from '../../extension/src/lib/fingerprint.js';

const HEX = '0123456789abcdef'.repeat(4);

test('fingerprints are normalised from the usual spellings', () => {
  assert.equal(normalizeFingerprint(HEX.toUpperCase()), HEX);
  assert.equal(normalizeFingerprint(HEX.match(/../g).join(':')), HEX);
  assert.equal(normalizeFingerprint(` ${HEX.match(/..../g).join(' ')} `), HEX);
  assert.equal(normalizeFingerprint(HEX.slice(1)), null);
  assert.equal(normalizeFingerprint(`${HEX.slice(1)}g`), null);
  assert.equal(normalizeFingerprint(42), null);
});

test('grouped in 16 groups of 4 for reading aloud, optionally on lines', () => {
  const one = groupFingerprint(HEX);
  assert.equal(one.split(' ').length, 16);
  assert.equal(one.slice(0, 14), '0123 4567 89AB');
  const four = groupFingerprint(HEX, { lines: 4 }).split('\n');
  assert.equal(four.length, 4);
  assert.deepEqual(four.map((l) => l.split(' ').length), [4, 4, 4, 4]);
  assert.equal(groupFingerprint('nope'), '');
});

test('sameFingerprint compares normalised values', () => {
  assert.equal(sameFingerprint(HEX, HEX.toUpperCase()), true);
  assert.equal(sameFingerprint(HEX, `${HEX.slice(0, 63)}0`), false);
  assert.equal(sameFingerprint('x', 'x'), false);
});
