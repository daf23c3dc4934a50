import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyHost } from '../../extension/src/lib/address.js';
import * as dnr from '../../extension/src/lib/dnr_rules.js';

const ALL = ['loopback', 'private', 'link_local', 'ula', 'cgnat'];
const SAMPLES = [
  '127.0.0.25', '10.1.2.3', '172.16.5.4', '172.31.0.1', '172.32.0.1', '192.168.1.25', '192.169.0.1',
  '169.254.3.3', '100.64.1.1', '100.128.0.1', '8.8.8.8', '[::1]', '[fd00::25]', '[fe80::1]', '[2001:db8::1]',
];

function matchesAny(rules, url) {
  return rules.some((r) => new RegExp(r.condition.regexFilter, 'i').test(url));
}

test('the redirect rules match exactly the classes chosen (same answer as address.js)', () => {
  for (const networks of [['private'], ['loopback'], ['private', 'link_local', 'ula'], ALL]) {
    const rules = dnr.redirectRules(networks);
    assert.equal(rules.length, networks.length);
    for (const host of SAMPLES) {
      const expected = networks.includes(classifyHost(host));
      assert.equal(matchesAny(rules, `https://${host}/`), expected, `${host} with ${networks}`);
      assert.equal(matchesAny(rules, `https://${host}:8443/x?y#z`), expected, `${host}:8443 with ${networks}`);
    }
  }
});

test('each regexFilter stays small (Chromium compiles it under a 2 KB limit)', () => {
  for (const rule of dnr.redirectRules(ALL)) assert.ok(rule.condition.regexFilter.length < 160, rule.condition.regexFilter);
  assert.deepEqual(dnr.redirectRules(ALL).map((r) => r.id), [...dnr.REDIRECT_RULE_IDS]);
});

test('the redirect never catches http, names, or a local-looking prefix of a name', () => {
  const rules = dnr.redirectRules(ALL);
  assert.equal(matchesAny(rules, 'http://192.168.1.25/'), false);
  assert.equal(matchesAny(rules, 'https://192.168.1.25.evil.test/'), false);
  assert.equal(matchesAny(rules, 'https://printer.local/'), false);
  assert.equal(matchesAny(rules, 'https://10.0.0.1@evil.test/'), false);
});

test('no network chosen: no redirect rule', () => {
  assert.deepEqual(dnr.redirectRules([]), []);
});

test('rules are well-formed for declarativeNetRequest', () => {
  const rule = dnr.withExtensionId(dnr.redirectRules(['private'])[0], 'abcdefghijklmnopabcdefghijklmnop');
  assert.equal(rule.id, 2);
  assert.deepEqual(rule.condition.resourceTypes, ['main_frame']);
  assert.equal(rule.action.redirect.regexSubstitution, 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/check/check.html#\\0');
  const allow = dnr.allowRule(1001, 'https://192.168.1.25');
  assert.ok(allow.priority > rule.priority);
  assert.equal(dnr.allowedOrigin(allow), 'https://192.168.1.25');
  assert.equal(dnr.allowedOrigin(rule), null);
  assert.equal(dnr.nextAllowRuleId([rule]), dnr.FIRST_ALLOW_RULE_ID);
  assert.equal(dnr.nextAllowRuleId([rule, allow, dnr.allowRule(1007, 'https://x')]), 1008);
});
