import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allOdooOrigins, mergeSettings, normalizeOrigin, posMatchPatterns } from '../../extension/src/lib/settings.js';

const FP = 'ab'.repeat(32);

test('defaults: private networks, check on, nothing pinned, nothing locked', () => {
  const s = mergeSettings({}, {});
  assert.deepEqual(s.networks, ['private', 'link_local', 'ula']);
  assert.equal(s.precheck, true);
  assert.deepEqual(s.pinned, []);
  assert.deepEqual(s.locked, []);
  assert.deepEqual(s.problems, []);
});

test("the person's choices apply where valid", () => {
  const s = mergeSettings({ networks: ['loopback', 'private'], precheck: false, odooOrigins: ['https://pos.example.com/', 'http://old.example.com'] }, {});
  assert.deepEqual(s.networks, ['loopback', 'private']);
  assert.equal(s.precheck, false);
  // An entry saved before origins had to be exact https is dropped, the others kept.
  assert.deepEqual(s.odooOrigins, ['https://pos.example.com']);
  // A malformed local value falls back to the default instead of widening anything.
  assert.deepEqual(mergeSettings({ networks: ['private', 'everything'] }, {}).networks, ['private', 'link_local', 'ula']);
});

test('managed policy wins and locks what it sets', () => {
  const s = mergeSettings(
    { networks: ['loopback'], precheck: false },
    { networks: ['private'], precheck: true, pinnedFingerprints: [FP.toUpperCase()], odooOrigins: ['https://odoo.shop.test'] },
  );
  assert.deepEqual(s.networks, ['private']);
  assert.equal(s.precheck, true);
  assert.deepEqual(s.pinned, [FP]);
  assert.deepEqual(s.locked.sort(), ['networks', 'precheck']);
  assert.deepEqual(s.managedOdooOrigins, ['https://odoo.shop.test']);
});

test('malformed managed values are reported, not applied', () => {
  const s = mergeSettings({ precheck: false }, { networks: 'private', precheck: 'yes', pinnedFingerprints: [FP, 'short'] });
  assert.deepEqual(s.networks, ['private', 'link_local', 'ula']);
  assert.equal(s.precheck, false);
  assert.deepEqual(s.pinned, [FP]);
  assert.deepEqual(s.problems.sort(), ['networks', 'pinnedFingerprints', 'precheck']);
});

test('POS origins are exact https origins: no path, no wildcard, no http', () => {
  assert.equal(normalizeOrigin('https://pos.example.com:8069'), 'https://pos.example.com:8069');
  assert.equal(normalizeOrigin(' https://POS.example.com/ '), 'https://pos.example.com');
  assert.equal(normalizeOrigin('https://pos.example.com:443'), 'https://pos.example.com');
  for (const bad of [
    'https://pos.example.com:8069/pos/ui?x=1',
    'https://*.odoo.com',
    'https://*',
    'http://pos.example.com',
    'ftp://x',
    'https://u:p@x.test',
    'https://x.test/#a',
    'https://',
    42,
  ]) {
    assert.equal(normalizeOrigin(bad), null, String(bad));
  }
  const s = mergeSettings({ odooOrigins: ['https://127.0.0.1:8443'] }, { odooOrigins: ['https://odoo.shop.test'] });
  assert.deepEqual(allOdooOrigins(s), ['https://127.0.0.1:8443', 'https://odoo.shop.test']);
  // A managed wildcard is a problem, never a widening.
  const w = mergeSettings({}, { odooOrigins: ['https://*.odoo.com'] });
  assert.deepEqual(allOdooOrigins(w), []);
  assert.deepEqual(w.problems, ['odooOrigins']);
});

test('content-script patterns name the host without the port (Firefox matches no port)', () => {
  assert.deepEqual(posMatchPatterns(['https://127.0.0.1:8443', 'https://127.0.0.1:9443', 'https://odoo.shop.test']), [
    'https://127.0.0.1/*',
    'https://odoo.shop.test/*',
  ]);
  assert.deepEqual(posMatchPatterns(['https://[fd00::5]:8069']), ['https://[fd00::5]/*']);
});

// Firefox on Windows hands a REG_SZ policy value over as text and a REG_DWORD as a number
// (docs/admin.md §5): a list as JSON text and a 0/1 switch count; other text is still a problem.
test('managed values as Firefox reads them from the Windows registry', () => {
  const s = mergeSettings(
    {},
    {
      networks: '["loopback","private"]',
      odooOrigins: ' ["https://odoo.shop.test"] ',
      pinnedFingerprints: `["${'AB'.repeat(32)}"]`,
      precheck: 0,
    },
  );
  assert.deepEqual(s.networks, ['loopback', 'private']);
  assert.deepEqual(s.managedOdooOrigins, ['https://odoo.shop.test']);
  assert.deepEqual(s.pinned, ['ab'.repeat(32)]);
  assert.equal(s.precheck, false);
  assert.deepEqual(s.problems, []);
  assert.equal(mergeSettings({}, { precheck: 'true' }).precheck, true);
  const bad = mergeSettings({}, { networks: 'loopback', odooOrigins: '["https://*.odoo.com"]', precheck: 2 });
  assert.deepEqual(bad.problems, ['networks', 'odooOrigins', 'precheck']);
  assert.deepEqual(bad.managedOdooOrigins, []);
});
