// lib/pos_background.js: what a held print from the page must look like to be considered at all
// (the page wrote it: anything malformed or over the relay's 512 KiB is answered "direct").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdOf } from '../../extension/src/lib/pos_background.js';

const url = 'https://192.168.1.25/cgi-bin/epos/service.cgi?devid=local_printer';

test('a well-formed hold is kept, method upper-cased, content type bounded', () => {
  assert.deepEqual(holdOf({ hold: { id: 3, url, method: 'post', body: '<x/>', contentType: 'text/xml' } }), {
    id: 3,
    url,
    method: 'POST',
    body: '<x/>',
    contentType: 'text/xml',
    afterDirectFailure: false,
  });
  assert.equal(holdOf({ hold: { id: 3, url, method: 'POST', contentType: 'x'.repeat(500) } }).contentType.length, 200);
  // The hook's second ask for an http: print the browser failed; anything but true is false.
  assert.equal(holdOf({ hold: { id: 4, url, method: 'POST', afterDirectFailure: true } }).afterDirectFailure, true);
  assert.equal(holdOf({ hold: { id: 5, url, method: 'POST', afterDirectFailure: 'yes' } }).afterDirectFailure, false);
});

test('malformed or oversized holds are refused', () => {
  for (const hold of [
    null,
    { id: '3', url, method: 'POST' },
    { id: 3.5, url, method: 'POST' },
    { id: 3, url: 7, method: 'POST' },
    { id: 3, url, method: 'POST', body: { a: 1 } },
    { id: 3, url, method: 'POST', body: 'x'.repeat(512 * 1024 + 1) },
  ]) {
    assert.equal(holdOf({ hold }), null, JSON.stringify(hold)?.slice(0, 80));
  }
});
