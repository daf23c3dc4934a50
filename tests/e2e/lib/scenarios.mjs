// The end-to-end scenarios, written once and run in each browser by
// chromium.test.mjs and firefox.test.mjs. Each starts a fresh HOME and profile, the real host
// (through the browser's native messaging) and emulated printers on 127.0.0.x.
import assert from 'node:assert/strict';
import { extensionPage, gotoExtensionPage, launch, setLocalSettings } from './browsers.mjs';
import { TEST_NETWORKS, databaseOf, warmUp, withBrowser } from './browser_session.mjs';
import { startPrinter } from './emulator.mjs';
import {
  badgeFor,
  popupPath,
  startNavigation,
  textOf,
  waitForPrinterPage,
  waitForSelector,
  waitForWarning,
} from './pages.mjs';
import { removeExtensionPolicy, writeExtensionPolicy } from './policy.mjs';
import { startPosServer } from './pos_server.mjs';
import { waitForPromptClosed, waitForPromptState, waitForPromptTab } from './prompt_tab.mjs';
import { record } from './results.mjs';
import { certutilList, makeSandbox } from './sandbox.mjs';
import { acceptOrigin } from './test_origin.mjs';

// Waits until the extension runs with the managed policy (Chromium loads policy seconds after
// start): the pinned fingerprint is in its effective settings and its redirect rules cover loopback.
async function waitForPolicy(run, sha256) {
  const page = await extensionPage(run);
  await page.waitForFunction(
    async (fp) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const reply = await api.runtime.sendMessage({ type: 'settings' });
      if (!reply?.value?.pinned?.includes(fp)) return false;
      if (!api.declarativeNetRequest) return true;
      const rules = await api.declarativeNetRequest.getSessionRules();
      return rules.some((r) => r.action.type === 'redirect' && r.condition.regexFilter.includes('127'));
    },
    { polling: 100, timeout: 10000 },
    sha256,
  );
  await page.close();
}

// (a) The toolbar flow on a warning page. Firefox: trust, flush, reload: secure, no restart.
// Chromium: it has already rejected this certificate and keeps rejecting it for 30 minutes
// (docs/browser-behaviour.md §6); the popup says so and asks for a restart, and the next start is secure.
// Returns its figures in ms: Firefox { confirmToSecure }, Chromium { confirmToAdvice, restartToSecure }.
export async function toolbarFlow(kind) {
  const printer = await startPrinter({ address: '127.0.0.25' });
  const sandbox = makeSandbox(kind, { name: 'toolbar' });
  const figures = {};
  try {
    let run = await launch(kind, sandbox);
    try {
      await warmUp(run, sandbox);
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: false });
      const tab = await run.browser.newPage();
      startNavigation(tab, `${printer.url}/`);
      await waitForWarning(tab);

      const popup = await run.browser.newPage();
      await gotoExtensionPage(run, popup, popupPath(`${printer.url}/`));
      // Detection: the badge on the warning tab.
      assert.equal(await badgeFor(popup, printer.url, '!'), '!', 'no badge on the warning tab');
      await waitForSelector(popup, '#trust');
      assert.match(await textOf(popup, '.fingerprint'), new RegExp(printer.sha256.slice(0, 4).toUpperCase()));
      assert.match(await textOf(popup, '.epson'), /Epson/);
      const t0 = Date.now();
      await popup.click('#trust');
      if (kind === 'firefox') {
        await waitForSelector(popup, '#secure');
        const loadEnd = await waitForPrinterPage(tab, printer.url);
        return {
          confirmToSecure: record('toolbar flow, confirm to secure page (Firefox, after a warning, no restart)', loadEnd - t0),
        };
      }
      await waitForSelector(popup, '#restart');
      figures.confirmToAdvice = record('toolbar flow, confirm to the restart advice (Chromium)', Date.now() - t0);
      assert.match(await textOf(popup, '#restart'), /30 minutes/);
      assert.match(certutilList(databaseOf(kind, sandbox)), /epos-trust 127\.0\.0\.25 \S+\s+P,,/);
    } finally {
      await run.browser.close().catch(() => {});
    }
    // The restart the popup asked for: the same profile, started again, loads the printer securely.
    run = await launch(kind, sandbox);
    try {
      const tab = await run.browser.newPage();
      const t0 = startNavigation(tab, `${printer.url}/`);
      const loadEnd = await waitForPrinterPage(tab, printer.url);
      figures.restartToSecure = record('toolbar flow, after the restart: navigation to secure page (Chromium)', loadEnd - t0);
    } finally {
      await run.browser.close().catch(() => {});
    }
  } finally {
    printer.stop();
    sandbox.remove();
  }
  return figures;
}

// (b) Never-seen printers whose fingerprints an administrator pinned: the first navigation is
// secure, with no prompt and no warning page. Returns the navigation start to secure page times (ms).
export async function pinnedPrinters(kind, count = 5) {
  const printers = [];
  for (let i = 0; i < count; i += 1) printers.push(await startPrinter({ address: `127.0.0.${31 + i}` }));
  writeExtensionPolicy(kind, {
    networks: TEST_NETWORKS,
    precheck: true,
    pinnedFingerprints: printers.map((p) => p.sha256),
  });
  const times = [];
  try {
    await withBrowser(kind, { name: 'pinned' }, async ({ run, sandbox }) => {
      await waitForPolicy(run, printers[0].sha256);
      for (const printer of printers) {
        const page = await run.browser.newPage();
        const seen = [];
        page.on('framenavigated', (frame) => frame === page.mainFrame() && seen.push(frame.url()));
        const t0 = startNavigation(page, `${printer.url}/`);
        const loadEnd = await waitForPrinterPage(page, printer.url);
        times.push(record('pinned printer, never seen: navigation start to secure page', loadEnd - t0));
        assert.equal(await page.$('#trust'), null);
        assert.ok(!seen.some((u) => u.startsWith('chrome-error:')), `a warning page was shown: ${seen}`);
        await page.close();
      }
      const entries = sandbox.hostCli('list').entries;
      for (const printer of printers) assert.ok(entries.some((e) => e.sha256 === printer.sha256));
    });
  } finally {
    removeExtensionPolicy(kind);
    for (const printer of printers) printer.stop();
  }
  return times;
}

// (c) A POS page printing as Odoo 17/18 does: the request is held, the in-page prompt asks, the
// person trusts, and the emulator receives the receipt. Returns { confirmToPrinted, confirmToReceipt }
// in ms: until the POS page has its answer, and until the emulator logged the receipt.
export async function posPrint(kind, transport = 'fetch') {
  const printer = await startPrinter({ address: '127.0.0.25' });
  const pos = await startPosServer({ printerIp: `127.0.0.25:${printer.port}`, transport });
  const launchOptions = acceptOrigin(kind, pos);
  const figures = {};
  try {
    await withBrowser(kind, { name: `pos-${transport}`, launchOptions }, async ({ run }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true, odooOrigins: [pos.origin] });
      const page = await run.browser.newPage();
      startNavigation(page, `${pos.origin}/pos/ui?config_id=1`);
      await waitForSelector(page, '#print');
      await page.click('#print');
      const prompt = await waitForPromptTab(run);
      await waitForPromptState(prompt, ['asking']);
      // Held: the printer has received nothing, the POS is still waiting.
      assert.deepEqual(await printer.prints(), []);
      assert.equal(await textOf(page, '#result'), 'printing');
      assert.equal(await textOf(prompt, '#origin'), pos.origin);
      const t0 = Date.now();
      await prompt.click('[data-role="trust"]');
      await waitForPrintResult(page);
      figures.confirmToPrinted = record(`POS print (${transport}), confirm to printed`, Date.now() - t0);
      assert.equal(await textOf(page, '#result'), 'success=true');
      // Through the host's relay: "printed" (the printer's answer came back); with a host that
      // has no relay the browser sent it itself and the prompt does not claim it printed.
      const final = await waitForPromptState(prompt, ['printed', 'trusted']).catch(() => ({ state: 'closed' }));
      assert.notEqual(final.state, 'print_failed');
      await waitForPromptClosed(run);
      const prints = await printer.prints();
      assert.equal(prints.length, 1, JSON.stringify(prints));
      assert.deepEqual(prints[0].elements, ['text', 'cut']);
      assert.equal(prints[0].devid, 'local_printer');
      // The emulator stamps each receipt with its UTC arrival time in ms (same clock as t0).
      figures.confirmToReceipt = Date.parse(prints[0].time) - t0;
    });
  } finally {
    printer.stop();
    await pos.close();
  }
  return figures;
}

async function waitForPrintResult(page, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const text = await textOf(page, '#result');
    if (text !== 'printing' && text !== 'idle') return text;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the POS page never finished printing (says: ${await textOf(page, '#result')})`);
}

// (c, reactive) A print the hook cannot hold (from a worker) fails on the certificate; the
// extension sees the failure (webRequest) and brings the same prompt. Firefox: trusted and
// flushed, the next print goes through. Chromium: it has rejected the certificate and keeps
// rejecting it for 30 minutes (docs/browser-behaviour.md §6): the prompt says a restart is left, honestly.
export async function posReactive(kind) {
  const printer = await startPrinter({ address: '127.0.0.25' });
  const pos = await startPosServer({ printerIp: `127.0.0.25:${printer.port}`, transport: 'worker' });
  const launchOptions = acceptOrigin(kind, pos);
  try {
    await withBrowser(kind, { name: 'pos-reactive', launchOptions }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true, odooOrigins: [pos.origin] });
      const page = await run.browser.newPage();
      startNavigation(page, `${pos.origin}/pos/ui?config_id=1`);
      await waitForSelector(page, '#print');
      await page.click('#print');
      await waitForPrintResult(page);
      assert.equal(await textOf(page, '#result'), 'Connection to the printer failed');
      const prompt = await waitForPromptTab(run);
      await waitForPromptState(prompt, ['asking']);
      await prompt.click('[data-role="trust"]');
      // Nothing was held (a worker's print): trusted, the person prints again.
      await waitForPromptState(prompt, ['trusted']);
      assert.ok(sandbox.hostCli('list').entries.some((e) => e.sha256 === printer.sha256), 'not installed');
      await waitForPromptClosed(run);
      if (kind === 'chrome') return; // a worker's print is never relayed; Chromium keeps its rejection
      await page.click('#print');
      await waitForPrintResult(page);
      assert.equal(await textOf(page, '#result'), 'success=true');
      assert.equal((await printer.prints()).length, 1);
    });
  } finally {
    printer.stop();
    await pos.close();
  }
}

// (d) A certificate that cannot work in this browser: explained, nothing installed.
export async function unusableCertificate(kind, shape) {
  const printer = await startPrinter({ address: '127.0.0.25', shape });
  try {
    await withBrowser(kind, { name: `unusable-${shape}` }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const page = await run.browser.newPage();
      startNavigation(page, `${printer.url}/`);
      await waitForSelector(page, '#cannot-use');
      assert.equal(await page.$('#trust'), null, 'a trust button for an unusable certificate');
      const finding = shape === 'no-san' ? 'san_missing' : 'ca_certificate';
      assert.ok(await page.$(`.finding[data-code="${finding}"]`), `finding ${finding} not shown`);
      assert.deepEqual(sandbox.hostCli('list').entries, []);
      assert.doesNotMatch(certutilList(databaseOf(kind, sandbox)), /epos-trust/);
    });
  } finally {
    printer.stop();
  }
}

// (e) The check page's prompt before first contact (the person confirms: secure at once), then
// untrust from the settings page removes it from the database. Returns the confirm to secure page
// time (ms).
export async function promptThenUntrust(kind) {
  const printer = await startPrinter({ address: '127.0.0.25' });
  let confirmToSecure = null;
  try {
    await withBrowser(kind, { name: 'untrust' }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const page = await run.browser.newPage();
      startNavigation(page, `${printer.url}/`);
      await waitForSelector(page, '#trust');
      const t0 = Date.now();
      await page.click('#trust');
      const loadEnd = await waitForPrinterPage(page, printer.url);
      confirmToSecure = record('check page, confirm to secure page (before first contact, no restart)', loadEnd - t0);
      const db = databaseOf(kind, sandbox);
      assert.match(certutilList(db), /epos-trust 127\.0\.0\.25/);

      const settings = await extensionPage(run, 'options/options.html');
      const row = `tr.printer[data-sha256="${printer.sha256}"] button.untrust`;
      await waitForSelector(settings, row);
      await settings.click(row);
      await waitForSelector(settings, '#no-printers');
      assert.deepEqual(sandbox.hostCli('list').entries, []);
      assert.doesNotMatch(certutilList(db), /epos-trust/);
    });
  } finally {
    printer.stop();
  }
  return confirmToSecure;
}

// (f) No host installed: the person is told what to install.
export async function hostMissing(kind) {
  const printer = await startPrinter({ address: '127.0.0.25' });
  try {
    await withBrowser(kind, { name: 'nohost', withHost: false }, async ({ run }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
      const page = await run.browser.newPage();
      startNavigation(page, `${printer.url}/`);
      await waitForSelector(page, '.error[data-code="host_missing"]');
      assert.match(await textOf(page, '.error'), /not installed/);
      assert.ok(await page.$('#continue'), 'no way on to the page');
    });
  } finally {
    printer.stop();
  }
}
