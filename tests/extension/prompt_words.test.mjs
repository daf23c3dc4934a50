// prompt/prompt.js's words for each outcome, with a stand-in for i18n.getMessage that names the key:
// what failed maps to what the person can do, and names come from inspect's names or the SAN.
import assert from 'node:assert/strict';
import { test } from 'node:test';

globalThis.chrome = { i18n: { getMessage: (key, subs) => (subs ? `${key}(${[].concat(subs).join('|')})` : key) } };
const { failureText, namesOf } = await import('../../extension/src/prompt/prompt.js');

test('each failure says what to do', () => {
  assert.equal(failureText('epos:EPTR_COVER_OPEN'), 'posFailCoverOpen');
  assert.equal(failureText('epos:EPTR_REC_EMPTY'), 'posFailPaperOut');
  assert.equal(failureText('epos:DeviceNotFound'), 'posFailDeviceNotFound');
  assert.equal(failureText('epos:SchemaError'), 'posFailRefused(SchemaError)');
  assert.equal(failureText('unreachable'), 'posFailUnreachable');
  assert.equal(failureText('timeout'), 'posFailTimeout');
  assert.equal(failureText('fingerprint_mismatch'), 'posFailFingerprint');
  assert.equal(failureText('policy_forbids'), 'posFailOther(errPolicyForbids)');
});

test('names: inspect names with their scope, else the SAN, else the CN', () => {
  const names = [{ type: 'ip', value: '192.168.1.25', scope: 'local' }];
  assert.deepEqual(namesOf({ names }), names);
  assert.deepEqual(namesOf({ names: null, san: { dns: ['epson.local'], ip: ['192.168.1.25'] } }), [
    { type: 'dns', value: 'epson.local', scope: '' },
    { type: 'ip', value: '192.168.1.25', scope: '' },
  ]);
  assert.deepEqual(namesOf({ names: null, san: null, cn: '192.168.1.25' }), [{ type: 'cn', value: '192.168.1.25', scope: '' }]);
});
