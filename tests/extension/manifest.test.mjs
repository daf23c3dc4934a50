import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CHROME_ID, CHROME_KEY, FIREFOX_ID, manifestFor } from '../../extension/manifest.mjs';

const SRC = new URL('../../extension/src/', import.meta.url).pathname;

test('the Chrome key gives the fixed extension ID (docs/browser-behaviour.md §2)', () => {
  const digest = createHash('sha256').update(Buffer.from(CHROME_KEY, 'base64')).digest('hex').slice(0, 32);
  const id = [...digest].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
  assert.equal(id, CHROME_ID);
  // Only a public key is committed: an SPKI of an RSA key, not a private key structure.
  const rsaEncryptionOid = Buffer.from('2a864886f70d010101', 'hex');
  const der = Buffer.from(CHROME_KEY, 'base64');
  assert.ok(der.includes(rsaEncryptionOid));
  assert.ok(der.length < 300, 'a 2048-bit public key, not a private key');
});

test('permissions are exactly the justified ones', () => {
  const chrome = manifestFor('chrome', '1.2.3');
  assert.equal(chrome.manifest_version, 3);
  assert.deepEqual(chrome.permissions.sort(), ['declarativeNetRequest', 'nativeMessaging', 'privacy', 'scripting', 'storage', 'webNavigation', 'webRequest']);
  assert.deepEqual(chrome.host_permissions, ['https://*/*']);
  const firefox = manifestFor('firefox', '1.2.3');
  assert.equal(firefox.browser_specific_settings.gecko.id, FIREFOX_ID);
  assert.deepEqual(firefox.permissions.sort(), ['https://*/*', 'nativeMessaging', 'pkcs11', 'scripting', 'storage', 'webNavigation', 'webRequest', 'webRequestBlocking']);
  assert.equal(chrome.version, '1.2.3');
});

test('every file a manifest names exists in the source tree', () => {
  for (const target of ['chrome', 'firefox']) {
    const m = manifestFor(target, '1.0.0');
    const files = [
      ...Object.values(m.icons),
      m.options_ui.page,
      (m.action ?? m.browser_action).default_popup,
      ...(m.background.scripts ?? [m.background.service_worker]),
      ...(m.storage ? [m.storage.managed_schema] : []),
    ];
    for (const file of files) assert.ok(existsSync(SRC + file), `${target}: ${file}`);
  }
});

test('extension pages refuse to be framed, and only the check page is web-accessible', () => {
  const chrome = manifestFor('chrome', '1.0.0');
  const firefox = manifestFor('firefox', '1.0.0');
  assert.match(chrome.content_security_policy.extension_pages, /frame-ancestors 'none'/);
  assert.match(firefox.content_security_policy, /frame-ancestors 'none'/);
  for (const csp of [chrome.content_security_policy.extension_pages, firefox.content_security_policy]) {
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe/);
  }
  assert.deepEqual(chrome.web_accessible_resources, [{ resources: ['check/check.html'], matches: ['https://*/*'] }]);
  assert.deepEqual(firefox.web_accessible_resources, ['check/check.html']);
});

test('no static content scripts: the POS scripts are registered for configured origins only', () => {
  for (const target of ['chrome', 'firefox']) {
    const m = manifestFor(target, '1.0.0');
    assert.equal(m.content_scripts, undefined, target);
    assert.doesNotMatch(JSON.stringify(m), /odoo\.com/, target);
    // The prompt page is never web-accessible: no page can frame or open it.
    assert.doesNotMatch(JSON.stringify(m.web_accessible_resources ?? []), /prompt/, target);
  }
});
