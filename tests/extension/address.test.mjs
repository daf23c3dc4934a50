import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyHost, isLocalPrinterUrl, parseTarget } from '../../extension/src/lib/address.js';

test('IPv4 literals are classified like the host does', () => {
  const cases = {
    '127.0.0.25': 'loopback',
    '10.0.0.1': 'private',
    '172.16.0.1': 'private',
    '172.31.255.255': 'private',
    '172.32.0.1': 'public',
    '172.15.0.1': 'public',
    '192.168.1.25': 'private',
    '192.169.1.25': 'public',
    '169.254.10.2': 'link_local',
    '100.64.0.1': 'cgnat',
    '100.127.255.255': 'cgnat',
    '100.128.0.1': 'public',
    '8.8.8.8': 'public',
    '0.0.0.0': 'unspecified',
  };
  for (const [host, expected] of Object.entries(cases)) assert.equal(classifyHost(host), expected, host);
});

test('IPv6 literals, including IPv4-mapped ones', () => {
  const cases = {
    '[::1]': 'loopback',
    '[::]': 'unspecified',
    '[fd12:3456::1]': 'ula',
    '[fc00::1]': 'ula',
    '[fe80::1]': 'link_local',
    '[febf::1]': 'link_local',
    '[fec0::1]': 'public',
    '[2001:db8::1]': 'public',
    '[::ffff:c0a8:119]': 'private',
    '[::ffff:192.168.1.25]': 'private',
    '[::ffff:8.8.8.8]': 'public',
    '[1:2:3:4:5:6:7:8]': 'public',
  };
  for (const [host, expected] of Object.entries(cases)) assert.equal(classifyHost(host), expected, host);
});

test('names and malformed literals are never taken for local addresses', () => {
  for (const host of ['printer.local', 'localhost', '192.168.1', '256.1.1.1', '[1::2::3]', '[fd00::g]', '', '[1:2:3:4:5:6:7:8:9]']) {
    assert.equal(classifyHost(host), 'name', host);
  }
});

test('parseTarget takes https URLs only and normalises the port', () => {
  assert.deepEqual(parseTarget('https://192.168.1.25/cgi-bin/epos/service.cgi'), {
    origin: 'https://192.168.1.25',
    hostname: '192.168.1.25',
    port: 443,
    addressClass: 'private',
  });
  assert.equal(parseTarget('https://127.0.0.25:8443/').port, 8443);
  assert.equal(parseTarget('http://192.168.1.25/'), null);
  assert.equal(parseTarget('https://user:pw@192.168.1.25/'), null);
  assert.equal(parseTarget('not a url'), null);
  // The URL parser turns other IPv4 spellings into the dotted form before we classify.
  assert.equal(parseTarget('https://3232235801/').addressClass, 'private');
  assert.equal(parseTarget('https://0x7f.1/').addressClass, 'loopback');
});

test('isLocalPrinterUrl follows the chosen networks', () => {
  assert.equal(isLocalPrinterUrl('https://192.168.1.25/', ['private']), true);
  assert.equal(isLocalPrinterUrl('https://127.0.0.25/', ['private']), false);
  assert.equal(isLocalPrinterUrl('https://127.0.0.25/', ['loopback']), true);
  assert.equal(isLocalPrinterUrl('https://8.8.8.8/', ['private', 'loopback', 'link_local', 'ula', 'cgnat']), false);
});
