// lib/epos_reply.js: "printed" only for an HTTP 200 whose ePOS response says success="true".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eposFailureKind, eposOutcome } from '../../extension/src/lib/epos_reply.js';

const reply = (attrs) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response ${attrs} xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>`;

test('success only with HTTP 200 and success="true"', () => {
  assert.deepEqual(eposOutcome(200, reply('success="true" code="" status="251658262"')), { printed: true, code: '' });
  assert.deepEqual(eposOutcome(200, reply('success="false" code="EPTR_COVER_OPEN"')), { printed: false, code: 'EPTR_COVER_OPEN' });
  assert.deepEqual(eposOutcome(500, reply('success="true"')), { printed: false, code: 'http_500' });
  assert.deepEqual(eposOutcome(200, 'garbage'), { printed: false, code: 'no_reply' });
  assert.deepEqual(eposOutcome(200, '<epos:response success="true"/>'), { printed: true, code: '' });
  assert.deepEqual(eposOutcome(200, '<response code="x" success="truely"/>'), { printed: false, code: 'x' });
  assert.deepEqual(eposOutcome(0, undefined), { printed: false, code: 'no_reply' });
});

test('the codes a shop owner can act on', () => {
  assert.equal(eposFailureKind('EPTR_COVER_OPEN'), 'cover_open');
  assert.equal(eposFailureKind('EPTR_REC_EMPTY'), 'paper_out');
  assert.equal(eposFailureKind('SchemaError'), 'printer_refused');
});
