// The check page's and the popup's rules (extension/src/lib/check_service.js, check/continuation.js,
// ui/messages.js, ui/decision_view.js, ui/export_view.js, lib/precheck.js): what is inspected, what
// is remembered, where the page may go on to, what the person reads. The host is a recording fake
// here (its real answers are in tests/e2e/check_guard.test.mjs); the messages are the real English
// locale through a minimal i18n.getMessage.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const EN = JSON.parse(readFileSync(new URL('../../extension/src/_locales/en/messages.json', import.meta.url), 'utf8'));
globalThis.chrome = {
  i18n: {
    getMessage: (key, subs = []) => {
      const entry = EN[key];
      if (!entry) return '';
      const list = Array.isArray(subs) ? subs : [subs];
      return entry.message.replace(/\$([A-Z_]+)\$/g, (_, name) => {
        const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
        return list[Number(content.slice(1)) - 1] ?? '';
      });
    },
    getUILanguage: () => 'en',
  },
};

const { CheckService, servedTarget } = await import('../../extension/src/lib/check_service.js');
const { continuationUrl, canContinueAfter } = await import('../../extension/src/check/continuation.js');
const { errorText, findingText } = await import('../../extension/src/ui/messages.js');
const { movedModel } = await import('../../extension/src/ui/decision_view.js');
const { exportFiles, STEPS } = await import('../../extension/src/ui/export_view.js');
const { decide, movedPrinter } = await import('../../extension/src/lib/precheck.js');
const { HostError } = await import('../../extension/src/lib/host_client.js');
const { certificateNames } = await import('../../extension/src/ui/cert_view.js');

const FP = 'ab'.repeat(32);
const SETTINGS = { networks: ['private', 'loopback'], pinned: [] };

function inspectOf({ url = 'https://192.168.1.26', stores = [], journal = stores.length > 0, findings = [], verdict = 'usable', epos = true, names } = {}) {
  const host = new URL(url).hostname;
  return {
    target: { url, host, port: 443 },
    certificate: { sha256: FP, san: { ip: ['192.168.1.25'], dns: [] }, common_name: '192.168.1.25', ...(names ? { names } : {}) },
    epos: { is_epos: epos },
    findings,
    verdict: { chrome: verdict, firefox: verdict, apple: verdict },
    trusted: { journal, stores },
  };
}

function fakeHost({ inspect, inspectError, policy = { installs_allowed: true, pinned_sha256: [] } } = {}) {
  const calls = [];
  return {
    calls,
    hello: async () => {
      calls.push(['hello']);
      return { protocol: 1, policy };
    },
    inspect: async (url) => {
      calls.push(['inspect', url]);
      if (inspectError) throw inspectError;
      return inspect ?? inspectOf({ url });
    },
    exportCert: async (url, sha256) => {
      calls.push(['export-cert', url, sha256]);
      return { sha256 };
    },
  };
}

function service(host, { trustPrinter } = {}) {
  const allowed = [];
  const trusts = [];
  const s = new CheckService({
    host,
    settings: async () => SETTINGS,
    allowOrigin: async (origin) => allowed.push(origin),
    trustPrinter:
      trustPrinter ??
      (async (_host, url, sha256, options) => {
        trusts.push([url, sha256, options]);
        return { effect: 'now' };
      }),
    browser: 'chrome',
  });
  return { s, allowed, trusts };
}

test('a URL outside the chosen networks is not inspected: not_in_networks, the host is not asked', async () => {
  for (const url of ['https://8.8.8.8/', 'https://evil.example/', 'https://100.64.0.1/']) {
    const host = fakeHost();
    const { s, allowed } = service(host);
    await assert.rejects(s.precheck(url), (e) => e.code === 'not_in_networks');
    await assert.rejects(s.inspect(url), (e) => e.code === 'not_in_networks');
    await assert.rejects(s.check(url), (e) => e.code === 'not_in_networks');
    await assert.rejects(s.trust(url, FP), (e) => e.code === 'not_in_networks');
    await assert.rejects(s.allow(url), (e) => e.code === 'not_in_networks');
    assert.deepEqual(host.calls, [], url);
    assert.deepEqual(allowed, [], url);
  }
  await assert.rejects(s0().precheck('javascript:alert(1)'), (e) => e.code === 'bad_url');
  function s0() {
    return service(fakeHost()).s;
  }
});

test('only the printer origin is inspected, whatever path the URL has', async () => {
  const host = fakeHost();
  const { s } = service(host);
  await s.precheck('https://192.168.1.26:8443/some/path?x=1#frag');
  assert.deepEqual(host.calls, [['hello'], ['inspect', 'https://192.168.1.26:8443']]);
});

test('a host error is no pass: no allow rule after bad_url, unreachable, busy, policy_invalid', async () => {
  for (const code of ['bad_url', 'unreachable', 'timeout', 'busy', 'policy_invalid', 'address_not_local']) {
    const { s, allowed } = service(fakeHost({ inspectError: new HostError(code, 'English') }));
    const outcome = await s.precheck('https://192.168.1.26/');
    assert.equal(outcome.error.code, code);
    assert.equal(outcome.remembered, undefined);
    assert.deepEqual(allowed, [], code);
  }
});

test('an inspected pass (already trusted, not a printer) is remembered for the session', async () => {
  const trusted = service(fakeHost({ inspect: inspectOf({ stores: ['nss:x'], findings: [] }) }));
  assert.equal((await trusted.s.precheck('https://192.168.1.26/')).decision.reason, 'trusted');
  assert.deepEqual(trusted.allowed, ['https://192.168.1.26']);
  const notEpos = service(fakeHost({ inspect: inspectOf({ epos: false }) }));
  assert.equal((await notEpos.s.precheck('https://192.168.1.26/')).decision.reason, 'not_epos');
  assert.deepEqual(notEpos.allowed, ['https://192.168.1.26']);
});

test('a new printer is asked about and not remembered; trust then remembers it', async () => {
  const { s, allowed, trusts } = service(fakeHost());
  const outcome = await s.precheck('https://192.168.1.26/');
  assert.equal(outcome.decision.action, 'prompt');
  assert.deepEqual(allowed, []);
  await s.trust('https://192.168.1.26/x', FP, true);
  assert.deepEqual(trusts, [['https://192.168.1.26', FP, { beforeFirstContact: true }]]);
  assert.deepEqual(allowed, ['https://192.168.1.26']);
});

test('the machine policy: installs forbidden means no trust, with the reason; host-pinned still trusted', async () => {
  const forbidding = { installs_allowed: false, pinned_sha256: [] };
  const { s, allowed, trusts } = service(fakeHost({ policy: forbidding }));
  const outcome = await s.precheck('https://192.168.1.26/');
  assert.deepEqual(outcome.decision, { action: 'explain', reason: 'policy_forbids' });
  assert.deepEqual(allowed, []);
  assert.deepEqual(trusts, []);
  const invalid = service(fakeHost({ policy: { installs_allowed: false, error: 'writable by others' } }));
  assert.equal((await invalid.s.precheck('https://192.168.1.26/')).decision.reason, 'policy_invalid');
  const pinned = service(fakeHost({ policy: { installs_allowed: false, pinned_sha256: [FP.toUpperCase()] } }));
  assert.equal((await pinned.s.precheck('https://192.168.1.26/')).decision.action, 'trust');
  assert.equal(pinned.trusts.length, 1);
  // Extension-managed pins cannot override a host that forbids installs.
  assert.equal(decide({ inspect: inspectOf(), pinned: [FP], browser: 'chrome', policy: forbidding }).reason, 'policy_forbids');
});

test('the check page goes on only to the inspected origin, with the navigation path', () => {
  assert.equal(continuationUrl('https://192.168.1.26:8443/a/b?c=1#d', 'https://192.168.1.26:8443'), 'https://192.168.1.26:8443/a/b?c=1#d');
  assert.equal(continuationUrl('https://evil.example/phish', 'https://192.168.1.26'), 'https://192.168.1.26/');
  assert.equal(continuationUrl('not a url', 'https://192.168.1.26'), 'https://192.168.1.26/');
  // A fragment that smuggles another origin after the printer's stays on the printer.
  assert.equal(new URL(continuationUrl('https://192.168.1.26/@evil.example', 'https://192.168.1.26')).origin, 'https://192.168.1.26');
  assert.equal(canContinueAfter('bad_url'), false);
  assert.equal(canContinueAfter('not_in_networks'), false);
  assert.equal(canContinueAfter('unreachable'), true);
  assert.equal(canContinueAfter('host_missing'), true);
});

test('servedTarget classifies exactly (no loose patterns)', () => {
  assert.equal(servedTarget('https://192.168.1.26/', SETTINGS).origin, 'https://192.168.1.26');
  assert.throws(() => servedTarget('https://192.168.1.26.evil.example/', SETTINGS), (e) => e.code === 'not_in_networks');
  assert.throws(() => servedTarget('http://192.168.1.26/', SETTINGS), (e) => e.code === 'bad_url');
});

test('a printer that moved after it was trusted: san_mismatch wins over "already trusted"', () => {
  const mismatch = [{ code: 'san_mismatch', severity: 'error', browsers: ['chrome', 'firefox', 'apple'] }];
  const moved = inspectOf({ stores: ['nss:x'], findings: mismatch, verdict: 'unusable' });
  assert.deepEqual(decide({ inspect: moved, browser: 'chrome' }), { action: 'explain', reason: 'san_mismatch', trusted: true });
  assert.deepEqual(decide({ inspect: moved, browser: 'firefox' }).action, 'explain');
  // Not trusted yet, an Epson whose certificate names another address: the same explanation.
  const fresh = inspectOf({ findings: mismatch, verdict: 'unusable' });
  assert.deepEqual(decide({ inspect: fresh, browser: 'chrome' }), { action: 'explain', reason: 'san_mismatch', trusted: false });
  assert.deepEqual(movedPrinter(moved), { named: ['192.168.1.25'], now: '192.168.1.26' });
  const model = movedModel(moved, decide({ inspect: moved, browser: 'chrome' }));
  assert.equal(model.canUntrust, true);
  assert.deepEqual(model.lines[0], ['movedBody', ['192.168.1.25', '192.168.1.26']]);
  const text = globalThis.chrome.i18n.getMessage(...model.lines[0]);
  assert.match(text, /for 192\.168\.1\.25, but the printer now answers at 192\.168\.1\.26/);
  assert.doesNotMatch(text, /restart(ing)? (will|fixes)/i);
  assert.match(globalThis.chrome.i18n.getMessage(...model.lines[1]), /new self-signed certificate for 192\.168\.1\.26.*fixed address/);
  // Trusted by someone else (no journal entry): epos-trust does not offer to remove it.
  const foreign = inspectOf({ stores: ['nss:x'], journal: false, findings: mismatch, verdict: 'unusable' });
  const foreignModel = movedModel(foreign, decide({ inspect: foreign, browser: 'chrome' }));
  assert.equal(foreignModel.canUntrust, false);
  assert.equal(foreignModel.trustedBySomeoneElse, true);
  // Names from the host's certificate.names win over the SAN.
  const named = inspectOf({ names: [{ type: 'ip', value: '192.168.1.25', scope: 'local' }] });
  assert.deepEqual(movedPrinter(named).named, ['192.168.1.25']);
});

test('error boxes show the extension\'s own words by code, never the host\'s English message', () => {
  for (const code of ['relay_not_trusted', 'relay_origin_not_allowed', 'relay_refused', 'certificate_too_broad', 'busy', 'bad_url', 'not_in_networks', 'policy_invalid']) {
    const text = errorText({ code, message: 'HOST ENGLISH MESSAGE' });
    assert.ok(text.title && !text.title.startsWith('err'), `${code}: ${text.title}`);
    assert.doesNotMatch(`${text.title} ${text.detail}`, /HOST ENGLISH MESSAGE/, code);
  }
  const unknown = errorText({ code: 'brand_new_code', message: 'HOST ENGLISH MESSAGE' });
  assert.equal(unknown.title, EN.errInternal.message);
  assert.equal(unknown.detail, 'Code for support: brand_new_code');
  assert.equal(errorText({ code: '<img src=x>', message: 'x' }).detail, 'Code for support: internal');
  const broad = errorText({ code: 'certificate_too_broad', details: { names: ['www.example-bank.com', { value: '*.odoo.com' }] } });
  assert.equal(broad.detail, 'Names beyond the printer: www.example-bank.com, *.odoo.com');
  const finding = findingText({ code: 'names_beyond_printer', message: 'HOST ENGLISH' });
  assert.match(finding.what, /names websites beyond the printer/);
  assert.doesNotMatch(finding.what + finding.action, /HOST ENGLISH/);
});

test('the names the certificate covers: the host\'s scope, or the SAN without one', () => {
  assert.deepEqual(
    certificateNames({ names: [{ type: 'dns', value: 'www.example-bank.com', scope: 'public' }, { type: 'ip', value: '127.0.0.25', scope: 'local' }, { value: 'x', scope: 'weird' }] }),
    [
      { type: 'dns', value: 'www.example-bank.com', scope: 'public' },
      { type: 'ip', value: '127.0.0.25', scope: 'local' },
      { type: undefined, value: 'x', scope: '' },
    ],
  );
  assert.deepEqual(certificateNames({ san: { ip: ['192.168.1.25'], dns: ['printer.local'] } }), [
    { type: 'dns', value: 'printer.local', scope: '' },
    { type: 'ip', value: '192.168.1.25', scope: '' },
  ]);
  assert.deepEqual(certificateNames({ san: { ip: [], dns: [] }, common_name: '192.168.1.25' }), [{ type: 'cn', value: '192.168.1.25', scope: '' }]);
});

test('export for tablets: the two files from export-cert, checked against the fingerprint shown', async () => {
  const der = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0xff]);
  const result = {
    sha256: FP.toUpperCase(),
    file_stem: 'epos-printer-127.0.0.25',
    mobileconfig: '<?xml version="1.0"?><plist/>',
    crt_pem: '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n',
    crt_der_base64: der.toString('base64'),
  };
  const files = exportFiles(result, FP);
  assert.deepEqual(files.map((f) => [f.id, f.name, f.type]), [
    ['export-ios', 'epos-printer-127.0.0.25.mobileconfig', 'application/x-apple-aspen-config'],
    ['export-android', 'epos-printer-127.0.0.25.crt', 'application/x-x509-ca-cert'],
  ]);
  assert.deepEqual(Buffer.from(files[1].data), der);
  assert.equal(files[0].data, result.mobileconfig);
  // Another certificate than the one the person saw: refused, nothing offered.
  assert.throws(() => exportFiles({ ...result, sha256: 'cd'.repeat(32) }, FP), (e) => e.code === 'fingerprint_mismatch');
  // A file stem that could be a path is not used.
  assert.equal(exportFiles({ ...result, file_stem: '../../etc/x' }, FP)[0].name, 'epos-printer.mobileconfig');
  assert.equal(exportFiles({ ...result, crt_der_base64: undefined }, FP)[1].data, result.crt_pem);
  // The steps name the switches a person must find on each device.
  const ios = STEPS.ios.map((k) => EN[k].message).join(' ');
  assert.match(ios, /Settings > General > About > Certificate Trust Settings/);
  assert.match(STEPS.android.map((k) => EN[k].message).join(' '), /Settings > Security > Encryption & credentials > Install a certificate > CA certificate/);
  // The background asks the host for a served printer only, with its origin.
  const host = fakeHost();
  const { s } = service(host);
  await s.exportCert('https://192.168.1.26/x', FP);
  assert.deepEqual(host.calls.at(-1), ['export-cert', 'https://192.168.1.26', FP]);
  await assert.rejects(s.exportCert('https://8.8.8.8/', FP), (e) => e.code === 'not_in_networks');
});

test('the check page intro does not promise a secure page where it then says the certificate cannot be used', () => {
  assert.doesNotMatch(EN.checkIntroDevice.message, /secure/i);
  assert.match(EN.checkIntroTrust.message, /securely/);
  // Said of a printer opened by name: not "not an https page of a printer".
  assert.doesNotMatch(EN.popupByName.message, /not an https page/);
});

test('trusted but refused for another reason (expired since): explained, never "already trusted"', () => {
  const expired = inspectOf({ stores: ['nss:x'], findings: [{ code: 'expired', severity: 'error', browsers: ['chrome', 'firefox'] }], verdict: 'unusable' });
  assert.deepEqual(decide({ inspect: expired, browser: 'chrome' }), { action: 'explain', reason: 'unusable', trusted: true });
  assert.doesNotMatch(EN.trustedButUnusable.message, /Nothing was installed/);
  assert.match(EN.trustedButUnusable.message, /no restart/);
});

test('the frame guard: a page whose top is another window, or cannot be compared, is framed', async () => {
  const { isFramed, refuseFramed } = await import('../../extension/src/ui/frame_guard.js');
  const top = {};
  const self = { top: null };
  self.top = self;
  self.self = self;
  assert.equal(isFramed(self), false);
  const framed = { top, self: null };
  framed.self = framed;
  assert.equal(isFramed(framed), true);
  const crossOrigin = {
    get top() {
      throw new Error('SecurityError');
    },
  };
  assert.equal(isFramed(crossOrigin), true);
  let emptied = false;
  const doc = { documentElement: { dataset: {} }, body: { replaceChildren: () => (emptied = true) } };
  assert.equal(refuseFramed(doc, framed), true);
  assert.equal(emptied, true);
  assert.equal(doc.documentElement.dataset.framed, 'true');
  assert.equal(refuseFramed({ documentElement: { dataset: {} }, body: null }, self), false);
});
