import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certErrorKind, firefoxNsresult, isEposServiceUrl, isLocalNetworkBlock } from '../../extension/src/lib/signals.js';

test('Chromium net errors of an untrusted printer certificate', () => {
  assert.equal(certErrorKind('net::ERR_CERT_AUTHORITY_INVALID'), 'untrusted');
  assert.equal(certErrorKind('net::ERR_CERT_COMMON_NAME_INVALID'), 'name_mismatch');
  assert.equal(certErrorKind('net::ERR_CERT_DATE_INVALID'), 'date');
  assert.equal(certErrorKind('net::ERR_CONNECTION_REFUSED'), null);
  assert.equal(certErrorKind('net::ERR_ABORTED'), null);
});

test('Firefox "Error code <nsresult>" values measured in docs/browser-behaviour.md §3', () => {
  assert.equal(certErrorKind('Error code 2153398258'), 'untrusted'); // SELF_SIGNED_CERT
  assert.equal(certErrorKind('Error code 2153390067'), 'untrusted'); // SEC_ERROR_UNKNOWN_ISSUER
  assert.equal(certErrorKind('Error code 2153398271'), 'invalid'); // CA_CERT_USED_AS_END_ENTITY
  assert.equal(certErrorKind('Error code 2153394164'), 'name_mismatch'); // SSL_ERROR_BAD_CERT_DOMAIN
  assert.equal(certErrorKind('Error code 2152398861'), null); // NS_ERROR_CONNECTION_REFUSED
});

test('nsresult arithmetic: 0x805A0000 + (-NSS error)', () => {
  assert.equal(firefoxNsresult(-16370), 2153398258);
  assert.equal(firefoxNsresult(-12276), 2153394164);
});

test('localized or foreign strings never match', () => {
  assert.equal(certErrorKind('Le certificat n’est pas sûr'), null);
  assert.equal(certErrorKind(undefined), null);
  assert.equal(certErrorKind('ERR_CERT_AUTHORITY_INVALID'), null);
});

test('the ePOS endpoint is recognised on https and http (Odoo use_lna)', () => {
  assert.equal(isEposServiceUrl('https://192.168.1.25/cgi-bin/epos/service.cgi?devid=local_printer'), true);
  assert.equal(isEposServiceUrl('http://192.168.1.25/cgi-bin/epos/service.cgi'), true);
  assert.equal(isEposServiceUrl('ws://192.168.1.25/cgi-bin/epos/service.cgi'), false);
  assert.equal(isEposServiceUrl('https://192.168.1.25/cgi-bin/epos/other.cgi'), false);
  assert.equal(isEposServiceUrl('::'), false);
});

test('Local Network Access refusals are recognised, certificate errors are not', () => {
  assert.equal(isLocalNetworkBlock('net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS'), true);
  assert.equal(isLocalNetworkBlock('NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED'), true); // Firefox ESR 153, measured
  assert.equal(isLocalNetworkBlock('net::ERR_CERT_AUTHORITY_INVALID'), false);
  assert.equal(isLocalNetworkBlock(undefined), false);
  assert.equal(certErrorKind('net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS'), null);
});
