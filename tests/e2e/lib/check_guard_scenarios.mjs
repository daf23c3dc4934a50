// The check page against a hostile page, and a printer that moved after it was trusted: written
// once, run in each browser by check_guard.test.mjs. Real browsers, the built extension, the real
// host and emulator, loopback only (run-isolated.sh). Every attack asserts that nothing was
// installed (certutil on the browser's NSS database and the host's own list) and that the printer
// was not even contacted where the page must ask the host nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionPage, gotoExtensionPage, setLocalSettings, waitForLocation } from './browsers.mjs';
import { TEST_NETWORKS, assertNothingInstalled, databaseOf, withBrowser } from './browser_session.mjs';
import { startPrinter } from './emulator.mjs';
import { startHostileServer } from './hostile_server.mjs';
import { popupPath, startNavigation, textOf, waitForPrinterPage, waitForSelector, waitForWarning } from './pages.mjs';
import { paths } from './paths.mjs';
import { certutilList } from './sandbox.mjs';
import { acceptOrigin, writeSelfSigned } from './test_origin.mjs';
import { requireIsolated } from '../../lib/isolation.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A TCP forwarder in front of a printer that counts connections: "the host was asked nothing"
// means no connection reached the printer (inspect opens one per call).
async function countingProxy(address, target) {
  let connections = 0;
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(target.port, target.address);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise((resolve) => server.listen(0, address, resolve));
  return {
    url: `https://${address}:${server.address().port}`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// The allow rules / allowed origins of this browser session, read through the extension's API.
async function allowedOrigins(run) {
  const page = await extensionPage(run);
  try {
    return await page.evaluate(async () => {
      const api = globalThis.browser ?? globalThis.chrome;
      if (api.declarativeNetRequest) {
        const rules = await api.declarativeNetRequest.getSessionRules();
        return rules.filter((r) => r.action.type === 'allow').map((r) => r.condition.urlFilter);
      }
      return (await api.storage.session.get('allowedOrigins')).allowedOrigins ?? [];
    });
  } finally {
    await page.close();
  }
}

// A hostile page opens the check page top-level with a fragment of its choosing (the check page
// is web-accessible: it must be, for the pre-connection redirect).
async function openCheckPageFrom(run, hostile, fragment) {
  const page = await run.browser.newPage();
  await page.goto(`${hostile.origin}/landing`);
  const url = `${run.base}check/check.html#${fragment}`;
  await page.evaluate((u) => {
    location.href = u;
  }, url);
  await waitForLocation(page, (href, u) => href === u, url);
  return page;
}

// The extension as built, without its CSP: stands for a browser that ignores frame-ancestors, so
// that the page's own frame check is tested alone.
function withoutCsp() {
  const dir = mkdtempSync(join(tmpdir(), 'epos-e2e-nocsp-'));
  for (const target of ['chrome', 'firefox']) {
    cpSync(join(paths.extension, target), join(dir, target), { recursive: true });
    const file = join(dir, target, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    delete manifest.content_security_policy;
    writeFileSync(file, JSON.stringify(manifest, null, 2));
  }
  return dir;
}

// (1) A hostile https page frames the check page for a real printer and clickjacks it (clicks
// over the frame, Enter). With the CSP the frame never shows the page; without it (the page's own
// check alone) the framed page shows nothing and asks nothing. Either way: nothing installed, the
// printer never contacted. Returns what the frame showed, for the report.
export async function framedCheckPage(kind, { csp = true } = {}) {
  // Its certificate names the proxy's address: a printer this browser could use once trusted.
  const printer = await startPrinter({ address: '127.0.0.25', extra: ['--san', '127.0.0.27'] });
  const proxy = await countingProxy('127.0.0.27', printer);
  const hostile = await startHostileServer();
  const extensionDir = csp ? undefined : withoutCsp();
  try {
    return await withBrowser(kind, { name: csp ? 'framed' : 'framed-nocsp', launchOptions: acceptOrigin(kind, hostile), extensionDir }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      hostile.setFrameTarget(`${run.base}check/check.html#${proxy.url}/`);
      const page = await run.browser.newPage();
      await page.goto(`${hostile.origin}/frame`);
      await sleep(1500);
      const box = await (await page.$('#victim')).boundingBox();
      for (let i = 0; i < 3; i += 1) {
        await page.mouse.click(box.x + box.width / 2, box.y + 120);
        await page.keyboard.press('Enter');
        await sleep(300);
      }
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const inside = await frame
        .evaluate(() => ({
          href: location.href,
          framed: document.documentElement.dataset.framed ?? null,
          buttons: document.querySelectorAll('button').length,
          text: document.body?.innerText ?? '',
        }))
        .catch((e) => ({ error: e.message }));
      const seen = { frameUrl: frame.url(), inside };
      if (csp) {
        // Chromium: chrome-error:// "refused to connect"; Firefox: about:neterror?e=cspBlocked.
        assert.ok(/^chrome-error:|^about:neterror\?e=cspBlocked/.test(frame.url()), `the frame loaded: ${JSON.stringify(seen)}`);
      } else {
        assert.ok(inside.href?.startsWith(`${run.base}check/check.html`), `not the check page: ${JSON.stringify(seen)}`);
        assert.equal(inside.framed, 'true', 'the framed check page did not refuse');
        assert.equal(inside.buttons, 0, 'a button in the framed check page');
        assert.equal(inside.text.trim(), '', 'the framed check page shows something');
      }
      await sleep(500);
      assert.equal(proxy.connections(), 0, 'the framed check page had the printer contacted');
      assertNothingInstalled(kind, sandbox, 'framed check page');
      assert.deepEqual(await allowedOrigins(run), [], 'an allow rule from a framed page');
      return seen;
    });
  } finally {
    if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
    await hostile.close();
    await proxy.close();
    printer.stop();
  }
}

// (2) Open redirect: the check page opened by a hostile page with a fragment naming a website (or
// a printer-looking user-info trick) neither goes there nor asks the host.
export async function openRedirect(kind) {
  const hostile = await startHostileServer();
  // Its certificate names the proxy's address: a printer this browser could use once trusted.
  const printer = await startPrinter({ address: '127.0.0.25', extra: ['--san', '127.0.0.27'] });
  const proxy = await countingProxy('127.0.0.27', printer);
  try {
    await withBrowser(kind, { name: 'redirect', launchOptions: acceptOrigin(kind, hostile) }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const cases = [
        { fragment: `${hostile.origin}/landing?stolen`, selector: '.error[data-code="not_in_networks"]' },
        { fragment: `https://127.0.0.27:${new URL(proxy.url).port}@localhost:${new URL(hostile.origin).port}/landing`, selector: '#not-printer' },
        { fragment: 'javascript:alert(1)', selector: '#not-printer' },
      ];
      for (const { fragment, selector } of cases) {
        const page = await openCheckPageFrom(run, hostile, fragment);
        await waitForSelector(page, selector);
        await sleep(1500);
        const href = await page.evaluate(() => location.href);
        assert.ok(href.startsWith(`${run.base}check/check.html`), `the check page went on to ${href}`);
        assert.equal(await page.$('#trust'), null, fragment);
        assert.equal(await page.$('#continue'), null, fragment);
        await page.close();
      }
      // An https page reached by name (a printer could be): the popup says what epos-trust needs,
      // not that this is "not an https page of a printer".
      const named = await run.browser.newPage();
      await named.goto(`${hostile.origin}/landing`);
      const popup = await run.browser.newPage();
      await gotoExtensionPage(run, popup, popupPath(`${hostile.origin}/landing`));
      await waitForSelector(popup, '#by-name');
      assert.match(await textOf(popup, '#by-name'), /IP address/);
      assert.doesNotMatch(await textOf(popup, '#by-name'), /not an https page/);
      assert.equal(proxy.connections(), 0, 'the printer behind the user-info trick was contacted');
      assert.deepEqual(await allowedOrigins(run), []);
      assertNothingInstalled(kind, sandbox, 'open redirect');
    });
  } finally {
    await hostile.close();
    await proxy.close();
    printer.stop();
  }
}

// (3) A host error is no pass: bad_url (port 0: the URL parser takes it, the host refuses it) and
// an unreachable printer leave no allow rule; bad_url offers no way on, unreachable does (the
// person's choice, remembered only when made).
export async function hostErrorNoAllowRule(kind) {
  const hostile = await startHostileServer();
  try {
    await withBrowser(kind, { name: 'badurl', launchOptions: acceptOrigin(kind, hostile) }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const bad = await openCheckPageFrom(run, hostile, 'https://127.0.0.25:0/');
      await waitForSelector(bad, '.error[data-code="bad_url"]');
      assert.equal(await bad.$('#continue'), null, 'a way on after bad_url');
      assert.ok(await bad.$('#retry'));
      // The host's English message is not shown under the translated title.
      assert.doesNotMatch(await textOf(bad, '.error'), /is not a number from 1 to 65535/);
      const unreachable = await openCheckPageFrom(run, hostile, 'https://127.0.0.25:1/');
      await waitForSelector(unreachable, '.error[data-code="unreachable"]');
      assert.ok(await unreachable.$('#continue'));
      assert.deepEqual(await allowedOrigins(run), [], 'an allow rule after a host error');
      assertNothingInstalled(kind, sandbox, 'host error');
    });
  } finally {
    await hostile.close();
  }
}

// (4) The extension's networks setting: an address outside it is not inspected, by the check page
// or by any page message (the popup's inspect), and the printer is not contacted.
export async function networksApplied(kind) {
  const hostile = await startHostileServer();
  // Its certificate names the proxy's address: a printer this browser could use once trusted.
  const printer = await startPrinter({ address: '127.0.0.25', extra: ['--san', '127.0.0.27'] });
  const proxy = await countingProxy('127.0.0.27', printer);
  try {
    await withBrowser(kind, { name: 'networks', launchOptions: acceptOrigin(kind, hostile) }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: ['private'], precheck: false });
      const page = await openCheckPageFrom(run, hostile, `${proxy.url}/`);
      await waitForSelector(page, '.error[data-code="not_in_networks"]');
      assert.equal(await page.$('#trust'), null);
      const ext = await extensionPage(run);
      const replies = await ext.evaluate(async (url) => {
        const api = globalThis.browser ?? globalThis.chrome;
        const out = {};
        for (const type of ['inspect', 'check', 'precheck', 'trust', 'allow', 'exportCert']) {
          const reply = await api.runtime.sendMessage({ type, url, sha256: 'ab'.repeat(32) });
          out[type] = reply.ok ? 'answered' : reply.error.code;
        }
        return out;
      }, proxy.url);
      await ext.close();
      for (const [type, code] of Object.entries(replies)) assert.equal(code, 'not_in_networks', type);
      assert.equal(proxy.connections(), 0, 'a printer outside the networks was contacted');
      assertNothingInstalled(kind, sandbox, 'networks');
    });
  } finally {
    await hostile.close();
    await proxy.close();
    printer.stop();
  }
}

// (5) The host's machine policy forbids installs: the check page and the popup show the printer
// and why it cannot be trusted here, with no Trust button.
export async function policyForbids(kind) {
  requireIsolated({ net: true, overlay: '/etc' }, 'it writes /etc/epos-trust');
  const printer = await startPrinter({ address: '127.0.0.25' });
  mkdirSync('/etc/epos-trust', { recursive: true });
  writeFileSync('/etc/epos-trust/policy.json', JSON.stringify({ installs_allowed: false }), { mode: 0o644 });
  try {
    await withBrowser(kind, { name: 'policy' }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const page = await run.browser.newPage();
      startNavigation(page, `${printer.url}/`);
      await waitForSelector(page, '#policy');
      assert.equal(await page.$('#trust'), null, 'a Trust button where installs are forbidden');
      assert.match(await textOf(page, '#policy'), /policy/i);
      assert.ok(await page.$('.fingerprint'), 'the printer is still shown');
      // The popup on the browser's warning tab (the check off) says the same.
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: false });
      const tab = await run.browser.newPage();
      startNavigation(tab, `${printer.url}/`);
      await waitForWarning(tab);
      const popup = await run.browser.newPage();
      await gotoExtensionPage(run, popup, popupPath(`${printer.url}/`));
      await waitForSelector(popup, '#policy');
      assert.equal(await popup.$('#trust'), null, 'the popup offers Trust where installs are forbidden');
      assertNothingInstalled(kind, sandbox, 'policy');
    });
  } finally {
    rmSync('/etc/epos-trust/policy.json', { force: true });
    printer.stop();
  }
}

// (6) A printer trusted at 127.0.0.25 comes back at 127.0.0.26 with the same certificate (DHCP).
// The check page stops the navigation and explains (old address, new address, what to do); the
// popup on the warning tab says the same, not "restart"; removing the stale trust empties the
// database. Returns nothing; asserts each step.
export async function movedPrinter(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'epos-e2e-moved-'));
  const files = writeSelfSigned(dir, '127.0.0.25');
  let printer = await startPrinter({ address: '127.0.0.25', extra: ['--cert', files.cert, '--key', files.key] });
  try {
    await withBrowser(kind, { name: 'moved' }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      // Trusted earlier, at its old address, the ordinary way.
      const first = await run.browser.newPage();
      startNavigation(first, `${printer.url}/`);
      await waitForSelector(first, '#trust');
      await first.click('#trust');
      await waitForPrinterPage(first, printer.url);
      await first.close();
      assert.match(certutilList(databaseOf(kind, sandbox)), /epos-trust 127\.0\.0\.25/);
      const sha256 = printer.sha256;
      printer.stop();
      printer = await startPrinter({ address: '127.0.0.26', extra: ['--cert', files.cert, '--key', files.key] });
      assert.equal(printer.sha256, sha256);

      // The check page: stopped, explained, no Trust, no "restart".
      const page = await run.browser.newPage();
      startNavigation(page, `${printer.url}/`);
      await waitForSelector(page, '#moved');
      const moved = await textOf(page, '#moved');
      assert.match(moved, /127\.0\.0\.25/);
      assert.match(moved, /127\.0\.0\.26/);
      assert.match(moved, /new self-signed certificate/);
      assert.match(moved, /fixed address/);
      assert.equal(await page.$('#trust'), null);
      assert.equal(await page.$('#intro-trust'), null, 'the intro promises a secure page');
      assert.ok(await page.$('#untrust-stale'), 'no offer to remove the stale trust');
      assert.ok((await page.evaluate(() => location.href)).startsWith(`${run.base}check/check.html`), 'the navigation went on');
      await page.close();

      // The popup on the browser's warning tab (the check off): the same, not "a restart will fix it".
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: false });
      const tab = await run.browser.newPage();
      startNavigation(tab, `${printer.url}/`);
      await waitForWarning(tab);
      const popup = await run.browser.newPage();
      await gotoExtensionPage(run, popup, popupPath(`${printer.url}/`));
      await waitForSelector(popup, '#moved');
      assert.match(await textOf(popup, '#moved'), /127\.0\.0\.25[\s\S]*127\.0\.0\.26/);
      for (const wrong of ['#restart', '#flush-offer', '#already', '#trust']) {
        assert.equal(await popup.$(wrong), null, `the popup shows ${wrong} for a moved printer`);
      }
      await popup.click('#untrust-stale');
      await waitForSelector(popup, '#stale-removed');
      assertNothingInstalled(kind, sandbox, 'after removing the stale trust');
    });
  } finally {
    printer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// (7) Export for tablets: the popup on a trusted printer's (secure) page offers the two files; what
// it gives is parsed here, not installed on a device: the .crt by openssl (DER), the .mobileconfig
// by Python's plistlib; both must be the printer's certificate (same SHA-256).
export async function exportForTablets(kind) {
  const printer = await startPrinter({ address: '127.0.0.25' });
  const dir = mkdtempSync(join(tmpdir(), 'epos-e2e-export-'));
  try {
    await withBrowser(kind, { name: 'export' }, async ({ run }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const tab = await run.browser.newPage();
      startNavigation(tab, `${printer.url}/`);
      await waitForSelector(tab, '#trust');
      await tab.click('#trust');
      await waitForPrinterPage(tab, printer.url);
      const popup = await run.browser.newPage();
      await gotoExtensionPage(run, popup, popupPath(`${printer.url}/`));
      await waitForSelector(popup, '#already');
      await waitForSelector(popup, '#export-button');
      await popup.click('#export-button');
      await waitForSelector(popup, '#export-android');
      const files = await popup.evaluate(async () => {
        const out = {};
        for (const id of ['export-ios', 'export-android']) {
          const a = document.getElementById(id);
          const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
          let binary = '';
          for (const b of bytes) binary += String.fromCharCode(b);
          out[id] = { name: a.download, base64: btoa(binary) };
        }
        out.steps = [...document.querySelectorAll('ol.steps li')].map((li) => li.textContent);
        return out;
      });
      assert.equal(files['export-ios'].name, 'epos-printer-127.0.0.25.mobileconfig');
      assert.equal(files['export-android'].name, 'epos-printer-127.0.0.25.crt');
      assert.ok(files.steps.some((s) => s.includes('Certificate Trust Settings')));
      const crt = join(dir, 'printer.crt');
      writeFileSync(crt, Buffer.from(files['export-android'].base64, 'base64'));
      const fp = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', crt, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
      assert.equal(fp.split('=')[1].trim().replaceAll(':', '').toLowerCase(), printer.sha256);
      const profile = join(dir, 'printer.mobileconfig');
      writeFileSync(profile, Buffer.from(files['export-ios'].base64, 'base64'));
      const inProfile = execFileSync('python3', ['-c', [
        'import plistlib, hashlib, sys',
        'p = plistlib.load(open(sys.argv[1], "rb"))',
        'print(" ".join(hashlib.sha256(x["PayloadContent"]).hexdigest() for x in p["PayloadContent"] if isinstance(x.get("PayloadContent"), bytes)))',
      ].join('\n'), profile], { encoding: 'utf8' });
      assert.ok(inProfile.trim().split(' ').includes(printer.sha256), `the profile holds ${inProfile}`);
    });
  } finally {
    printer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// (8) A certificate whose names go beyond the printer (public names, a wildcard: the emulator's
// too-broad shape): the check page lists every name, the public ones marked, explains, offers no
// Trust, and nothing is installed.
export async function namesBeyondPrinter(kind) {
  const printer = await startPrinter({ address: '127.0.0.25', shape: 'too-broad' });
  try {
    await withBrowser(kind, { name: 'too-broad' }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const page = await run.browser.newPage();
      startNavigation(page, `${printer.url}/`);
      await waitForSelector(page, '#cannot-use');
      assert.equal(await page.$('#trust'), null, 'Trust offered for a certificate naming public sites');
      const names = await page.$$eval('#names li', (items) => items.map((li) => [li.dataset.scope, li.querySelector('code')?.textContent]));
      assert.ok(names.some(([scope, value]) => scope === 'local' && value === '127.0.0.25'), JSON.stringify(names));
      assert.ok(names.some(([scope]) => scope === 'public'), JSON.stringify(names));
      assert.ok(await page.$('#names li[data-scope="public"] .public-mark'), 'public names are not marked in words');
      assert.ok(await page.$('.finding[data-code="names_beyond_printer"]'));
      assertNothingInstalled(kind, sandbox, 'too broad');
    });
  } finally {
    printer.stop();
  }
}
