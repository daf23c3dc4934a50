// The shop as it really runs (docs/browser-behaviour.md §9): an Odoo page on a PUBLIC origin, the
// printer on a LOCAL address, the browser's Local Network Access gate in between, and the person's
// one decision on the extension's prompt tab. Used by tests/e2e/odoo_shapes.test.mjs,
// tests/e2e/hostile.test.mjs and tests/bench/flow_bench.mjs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { extensionPage, setLocalSettings } from './browsers.mjs';
import { startPrinter } from './emulator.mjs';
import { launchWithLna } from './lna.mjs';
import { RECEIPT, shape, shapePages } from './odoo_pages.mjs';
import { startNavigation, waitForSelector } from './pages.mjs';
import { startPosServer } from './pos_server.mjs';
import {
  activeTabUrls,
  clickTrust,
  promptFacts,
  waitForPageResult,
  waitForPromptClosed,
  waitForPromptState,
  waitForPromptTab,
} from './prompt_tab.mjs';
import { certutilList, makeSandbox } from './sandbox.mjs';
import { warmUp } from './scenarios.mjs';

export const TEST_NETWORKS = ['loopback', 'private'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function databaseOf(kind, sandbox) {
  return kind === 'chrome' ? join(sandbox.home, '.local', 'share', 'pki', 'nssdb') : sandbox.profile;
}

// What epos-trust installed, by the two oracles: certutil on the browser's database and the
// host's journal (`list`). Chromium makes its database only at its first verification of an
// unknown certificate: no database yet = nothing in it.
export function installed(kind, sandbox) {
  const db = databaseOf(kind, sandbox);
  const nss = existsSync(join(db, 'cert9.db')) ? certutilList(db) : '';
  return {
    nss: nss.split('\n').filter((l) => /epos-trust/.test(l)),
    journal: sandbox.hostCli('list').entries,
  };
}

export function assertNothingInstalled(kind, sandbox, what = '') {
  const now = installed(kind, sandbox);
  assert.deepEqual(now.nss, [], `${what}: a certificate in the browser's database: ${now.nss}`);
  assert.deepEqual(now.journal, [], `${what}: the host's journal has ${JSON.stringify(now.journal)}`);
}

// Opens the POS page of `url` in a new tab and waits for its #print button.
export async function openPos(run, url) {
  const page = await run.browser.newPage();
  startNavigation(page, url);
  await waitForSelector(page, '#print');
  return page;
}

// A whole environment: printer(s), a POS server with `pages`, the browser with the LNA topology,
// the extension told about the POS origin. `body({run, sandbox, pos, printer})`.
export async function withPublicPos(
  kind,
  {
    name,
    shapeName = 'odoo17',
    pages,
    permission = 'denied',
    configure = true,
    printerOptions = {},
    launchOptions = {},
    promptTimeoutMs,
    companions = 0,
  },
  body,
) {
  const printer = await startPrinter({ address: '127.0.0.25', ...printerOptions });
  const printerIp = `127.0.0.25:${printer.port}`;
  const pos = await startPosServer({ printerIp, pages: pages ? pages(printerIp) : shapePages(shapeName, printerIp) });
  // Other origins (other ports of 127.0.0.1, with the shop's certificate so that the browser lets
  // them through alike; public too, not configured): a framed page, another shop, a hostile page.
  // The suite gives them pages with setPages.
  const others = [];
  for (let i = 0; i < companions; i += 1) others.push(await startPosServer({ printerIp, pages: () => null, tls: pos.tls }));
  const sandbox = makeSandbox(kind, { name });
  let run;
  try {
    run = await launchWithLna(kind, sandbox, {
      pos,
      printers: [printer],
      permission,
      promptTimeoutMs,
      launchOptions,
      alsoPublic: others.map((o) => o.origin),
    });
    // Chromium makes its NSS database only when it first verifies an unknown certificate.
    await warmUp(run, sandbox);
    if (configure) await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true, odooOrigins: [pos.origin] });
    // An extension page opened before the POS (so that it is a background tab later): the
    // suites ask the extension's tabs API from it which tab is active.
    const ext = await extensionPage(run);
    return await body({ run, sandbox, pos, printer, printerIp, ext, companions: others });
  } finally {
    await run?.dispose();
    printer.stop();
    await pos.close();
    for (const other of others) await other.close();
    sandbox.remove();
  }
}

// One shape, end to end: the page prints, the prompt tab asks, one Trust click, the receipt is in
// the printer's log, the page got the printer's answer, the prompt closes and the POS is active
// again, and a later print arrives too (through the relay: the page itself is gated).
// waitBeforeTrustMs: the person reads the prompt that long first (Odoo 19's 15 s signal must not
// lose the receipt). Returns figures in ms.
export async function publicPosPrint(
  kind,
  shapeName,
  {
    permission = 'denied',
    waitBeforeTrustMs = 0,
    launchOptions = {},
    laterPrints = 1,
    promptTimeoutMs,
    rejectFirst = false,
    directPrints = false,
  } = {},
) {
  const s = shape(shapeName);
  const options = { name: `shape-${shapeName}`, shapeName, permission, launchOptions, promptTimeoutMs };
  return withPublicPos(kind, options, async ({ run, sandbox, pos, printer, ext }) => {
    const page = await openPos(run, `${pos.origin}${s.path}`);
    const eposUrl = `${printer.url}/cgi-bin/epos/service.cgi?devid=local_printer`;
    if (rejectFirst) {
      // The browser meets the printer's certificate before the POS does (the backend Test button,
      // a person opening the printer's page): Chromium caches that rejection for 30 minutes
      // (docs/browser-behaviour.md §6). Made here by a fetch from the extension's page.
      const rejected = await ext.evaluate((u) => fetch(u, { method: 'POST', body: '<x/>' }).then(() => 'answered', (e) => e.name), eposUrl);
      assert.equal(rejected, 'TypeError', 'the untrusted printer answered the browser');
    }
    await page.click('#print');
    if (s.reactive) {
      // The first print fails as without the extension; the question follows (nothing held).
      assert.equal(await waitForPageResult(page), 'Connection to the printer failed');
    }
    const prompt = await waitForPromptTab(run);
    const facts = await promptFacts(prompt);
    assert.equal(facts.origin, pos.origin, 'the prompt names the asking POS origin');
    assert.match(facts.address ?? '', /127\.0\.0\.25/, 'the prompt names the printer address');
    assert.deepEqual(await printer.prints(), [], 'something reached the printer before the decision');
    if (!s.reactive) assert.equal(await page.$eval('#result', (el) => el.textContent), 'printing', 'the print is held');
    if (waitBeforeTrustMs) await sleep(waitBeforeTrustMs);
    const t0 = await clickTrust(prompt);
    if (s.reactive) {
      const said = await waitForPromptState(prompt, ['trusted', 'failed', 'declined']);
      assert.equal(said.state, 'trusted', `the prompt says ${said.state}: ${said.text}`);
      await waitForPromptClosed(run, prompt);
      await page.click('#print');
    }
    const result = await waitForPageResult(page);
    const tAnswered = Date.now();
    const outcome = s.reactive
      ? { state: 'printed' }
      : await waitForPromptState(prompt, ['printed', 'print_failed', 'failed', 'declined', 'trusted']).catch((e) => ({
          state: 'none',
          text: e.message,
        }));
    assert.equal(result, 'success=true', `the page got the printer's answer (the prompt: ${JSON.stringify(outcome)})`);
    assert.equal(outcome.state, 'printed', `the prompt says ${outcome.state}: ${outcome.text}`);
    const prints = await printer.prints();
    assert.equal(prints.length, 1, JSON.stringify(prints));
    assert.deepEqual(prints[0].elements, s.elements);
    assert.equal(prints[0].devid, 'local_printer');
    const receipt = Date.parse(prints[0].time);
    // The trust is recorded with the asking origin.
    const entry = sandbox.hostCli('list').entries.find((e) => e.sha256 === printer.sha256);
    assert.ok(entry, 'the printer is in the journal');
    if (entry.pos_origins) assert.ok(entry.pos_origins.includes(pos.origin), JSON.stringify(entry));
    await waitForPromptClosed(run, prompt);
    const active = await activeTabUrls(ext);
    assert.ok(active.some((t) => t.url.startsWith(pos.origin)), `the POS tab is active again: ${JSON.stringify(active)}`);
    // Later prints: no prompt, straight to the printer (through the relay: the page is gated),
    // timed inside the page around Odoo's own print code; with directPrints, each next to a
    // direct browser fetch to the printer from the extension's page (not gated), same body.
    const later = [];
    const direct = [];
    for (let i = 0; i < laterPrints; i += 1) {
      const r = await page.evaluate(async () => {
        const t = performance.now();
        const res = await print(); // the page's own print()
        return { ms: performance.now() - t, res };
      });
      assert.equal(r.res, 'success=true', `later print ${i + 1}`);
      later.push(r.ms);
      if (directPrints) {
        const d = await ext.evaluate(
          async (u, body) => {
            const t = performance.now();
            const res = await fetch(u, { method: 'POST', body }).then((x) => x.text(), (e) => `failed: ${e.name}`);
            return { ms: performance.now() - t, ok: res.includes('success="true"'), res: res.slice(0, 80) };
          },
          eposUrl,
          RECEIPT,
        );
        assert.ok(d.ok, `the direct print failed: ${d.res}`);
        direct.push(d.ms);
      }
    }
    const all = await printer.prints();
    assert.equal(all.length, 1 + laterPrints + direct.length, 'every later print reached the printer');
    return { confirmToPrinted: tAnswered - t0, confirmToReceipt: receipt - t0, later, direct };
  });
}
