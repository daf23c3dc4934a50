import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyHost } from '../../extension/src/lib/address.js';
import * as dnr from '../../extension/src/lib/dnr_rules.js';

const ALL = ['loopback', 'private', 'link_local', 'ula', 'cgnat'];
const SAMPLES = [
  '127.0.0.25', '10.1.2.3', '172.16.5.4', '172.31.0.1', '172.32.0.1', '192.168.1.25', '192.169.0.1',
  '169.254.3.3', '100.64.1.1', '100.128.0.1', '8.8.8.8', '[::1]', '[fd00::25]', '[fe80::1]', '[2001:db8::1]',
];

test('the redirect regex matches exactly the classes chosen (same answer as address.js)', () => {
  for (const networks of [['private'], ['loopback'], ['private', 'link_local', 'ula'], ALL]) {
    const re = new RegExp(dnr.localHttpsRegex(networks), 'i');
    for (const host of SAMPLES) {
      const expected = networks.includes(classifyHost(host));
      assert.equal(re.test(`https://${host}/`), expected, `${host} with ${networks}`);
      assert.equal(re.test(`https://${host}:8443/x?y#z`), expected, `${host}:8443 with ${networks}`);
    }
  }
});

test('the redirect never catches http, names, or a local-looking prefix of a name', () => {
  const re = new RegExp(dnr.localHttpsRegex(ALL), 'i');
  assert.equal(re.test('http://192.168.1.25/'), false);
  assert.equal(re.test('https://192.168.1.25.evil.test/'), false);
  assert.equal(re.test('https://printer.local/'), false);
  assert.equal(re.test('https://10.0.0.1@evil.test/'), false);
});

test('no network chosen: no redirect rule', () => {
  assert.equal(dnr.redirectRule([]), null);
});

test('rules are well-formed for declarativeNetRequest', () => {
  const rule = dnr.withExtensionId(dnr.redirectRule(['private']), 'abcdefghijklmnopabcdefghijklmnop');
  assert.equal(rule.id, dnr.REDIRECT_RULE_ID);
  assert.deepEqual(rule.condition.resourceTypes, ['main_frame']);
  assert.equal(rule.action.redirect.regexSubstitution, 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/check/check.html#\\0');
  const allow = dnr.allowRule(1001, 'https://192.168.1.25');
  assert.ok(allow.priority > rule.priority);
  assert.equal(dnr.allowedOrigin(allow), 'https://192.168.1.25');
  assert.equal(dnr.allowedOrigin(rule), null);
  assert.equal(dnr.nextAllowRuleId([rule]), dnr.FIRST_ALLOW_RULE_ID);
  assert.equal(dnr.nextAllowRuleId([rule, allow, dnr.allowRule(1007, 'https://x')]), 1008);
});
