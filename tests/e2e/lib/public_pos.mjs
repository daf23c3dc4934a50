// The shop as it really runs (docs/browser-behaviour.md §9): an Odoo page on a PUBLIC origin, the
// printer on a LOCAL address, the browser's Local Network Access gate in between, and the person's
// one decision on the extension's prompt tab. Used by tests/e2e/odoo_shapes.test.mjs,
// tests/e2e/hostile.test.mjs, tests/e2e/pos_public.test.mjs (the scenarios at the end) and
// tests/bench/flow_bench.mjs. The page's own local-network permission is made by lna.mjs (for
// Chromium "granted" that is the managed policy, the one grant measured to lift the block).
import assert from 'node:assert/strict';
import { extensionPage, setLocalSettings } from './browsers.mjs';
import { TEST_NETWORKS, installed, warmUp } from './browser_session.mjs';
import { startPrinter } from './emulator.mjs';
import { launchWithLna } from './lna.mjs';
import { RECEIPT, shape, shapePages } from './odoo_pages.mjs';
import { startNavigation, textOf, waitForSelector } from './pages.mjs';
import { startPosServer } from './pos_server.mjs';
import {
  activeTabUrls,
  clickTrust,
  promptFacts,
  promptTabs,
  waitForPageResult,
  waitForPromptClosed,
  waitForPromptState,
  waitForPromptTab,
} from './prompt_tab.mjs';
import { record } from './results.mjs';
import { makeSandbox } from './sandbox.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Opens the POS page of `url` in a new tab and waits for its #print button.
export async function openPos(run, url) {
  const page = await run.browser.newPage();
  startNavigation(page, url);
  await waitForSelector(page, '#print');
  return page;
}

// A whole environment: printer(s), a POS server with `pages`, the browser with the LNA topology,
// the extension told about the POS origin. `body({run, sandbox, pos, printer})`. `companions`
// other origins get `companionPages` (null: the POS server's default print page).
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
    companionPages = () => null,
  },
  body,
) {
  const printer = await startPrinter({ address: '127.0.0.25', ...printerOptions });
  const printerIp = `127.0.0.25:${printer.port}`;
  // shapeName null: the POS server's own print page (tests/e2e/lib/pos_server.mjs: #print-http, ?frame=).
  const own = pages ? pages(printerIp) : shapeName && shapePages(shapeName, printerIp);
  const pos = await startPosServer({ printerIp, pages: own || null });
  // Other origins (other ports of 127.0.0.1, with the shop's certificate so that the browser lets
  // them through alike; public too, not configured): a framed page, another shop, a hostile page.
  // The suite gives them pages with setPages.
  const others = [];
  for (let i = 0; i < companions; i += 1) others.push(await startPosServer({ printerIp, pages: companionPages, tls: pos.tls }));
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

// ---------------------------------------------------------------------------------------------
// The POS flow itself on a public origin, run in each browser by tests/e2e/pos_public.test.mjs:
// the POS in a window of its own (the prompt tab opens in that window), one Trust, the relay.

// EPOS_E2E_SCREENSHOTS=<folder>: the prompt tab as the person sees it, as PNG files.
async function shot(page, name) {
  const dir = process.env.EPOS_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png` }).catch(() => {});
}
const FAILED = 'Connection to the printer failed';

// Asked from the extension page `ext`, in another window than the POS.
async function inExtension(ext, fn, ...args) {
  return ext.evaluate(fn, ...args);
}

// Opens `url` in a window of its own (so that the extension page never becomes the POS window's
// active tab) and returns {page, windowId, tabId}.
async function openPosWindow(run, ext, url) {
  const { windowId, tabId } = await inExtension(
    ext,
    async (u) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const win = await api.windows.create({ url: u, focused: true });
      return { windowId: win.id, tabId: win.tabs[0].id };
    },
    url,
  );
  const end = Date.now() + 15000;
  for (;;) {
    const page = (await run.browser.pages()).find((p) => p.url().startsWith(url));
    if (page) {
      await waitForSelector(page, '#print');
      return { page, windowId, tabId };
    }
    if (Date.now() > end) throw new Error(`the POS page ${url} never opened`);
    await sleep(50);
  }
}

async function windowState(ext, windowId) {
  return inExtension(
    ext,
    async (id) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const win = await api.windows.get(id, { populate: true });
      const active = win.tabs.find((t) => t.active);
      return { state: win.state, active: active?.url ?? active?.pendingUrl ?? '', activeId: active?.id, tabs: win.tabs.length };
    },
    windowId,
  );
}

// These scenarios print from the POS server's own page (an Odoo 17 fetch, an http: print, frames).
const withPrintPage = (kind, options, body) => withPublicPos(kind, { shapeName: null, ...options }, body);

const journalOf = (kind, sandbox, printer) => installed(kind, sandbox).journal.filter((e) => e.sha256 === printer.sha256);

// One Trust click on the prompt tab -> the held receipt reaches the printer through the relay;
// "printed" appears only once the printer's answer is back; a second print arrives too, with no
// second question, and so does Odoo's use_lna http: print. `permission`: the page's own
// local-network permission (lna.mjs). Returns the figures.
export async function trustThenPrint(kind, permission) {
  const figures = {};
  await withPrintPage(kind, { name: `public-${permission}`, permission }, async ({ run, sandbox, ext, printer, printerIp, pos }) => {
    const { page, windowId, tabId } = await openPosWindow(run, ext, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await waitForPromptState(prompt, ['asking']);
    assert.equal(await textOf(prompt, '#origin'), pos.origin);
    assert.equal(await textOf(prompt, '#address'), printerIp);
    assert.ok((await prompt.$$('#names li')).length >= 1, 'the names the certificate covers are shown');
    // The prompt tab is the active tab of the POS window, right after the POS tab.
    const asked = await windowState(ext, windowId);
    assert.ok(asked.active.includes('prompt/prompt.html'), JSON.stringify(asked));
    assert.deepEqual(await printer.prints(), [], 'held: nothing reached the printer');
    assert.equal(await textOf(page, '#result'), 'printing');
    await shot(prompt, `pos-prompt-${run.kind}-asking`);
    const seen = [];
    const t0 = Date.now();
    await prompt.click('[data-role="trust"]');
    // Watch the prompt while the page waits: "printed" only once the receipt is at the printer.
    let printedSeenWith = null;
    const watching = (async () => {
      const end = Date.now() + 20000;
      while (Date.now() < end) {
        const state = await prompt.$eval('#status', (el) => el.dataset.state).catch(() => null);
        if (state && seen.at(-1) !== state) seen.push(state);
        if (state === 'printed') {
          printedSeenWith = (await printer.prints()).length;
          return;
        }
        if (state === 'print_failed' || state === 'failed' || state === null) return;
        await sleep(5);
      }
    })();
    assert.equal(await waitForPageResult(page), 'success=true');
    figures.confirmToPrinted = record(`public POS (${permission}), confirm to printed`, Date.now() - t0);
    await watching;
    assert.ok(seen.includes('printed'), `the prompt said ${seen.join(' > ')}`);
    assert.ok(!seen.slice(0, seen.indexOf('printed')).includes('print_failed'));
    assert.equal(printedSeenWith, 1, '"printed" shown only with the receipt at the printer');
    await shot(prompt, `pos-prompt-${run.kind}-printed`);
    const prints = await printer.prints();
    assert.equal(prints.length, 1, JSON.stringify(prints));
    assert.deepEqual(prints[0].elements, ['text', 'cut']);
    figures.confirmToReceipt = record(`public POS (${permission}), confirm to receipt at the printer`, Date.parse(prints[0].time) - t0);
    assert.equal(journalOf(kind, sandbox, printer).length, 1, 'the certificate is installed as before');
    await waitForPromptClosed(run);
    const after = await windowState(ext, windowId);
    assert.equal(after.activeId, tabId, 'the POS tab is active again');
    // A later print from that origin goes through the relay too, with no question.
    const t1 = Date.now();
    await page.click('#print');
    assert.equal(await waitForPageResult(page), 'success=true');
    figures.laterPrint = record(`public POS (${permission}), a later print`, Date.now() - t1);
    assert.equal((await printer.prints()).length, 2);
    // Odoo's use_lna print (http:, targetAddressSpace "local") to the printer trusted for this
    // origin goes through the relay over https (the emulator speaks only TLS: a direct http print
    // could not reach it).
    await page.click('#print-http');
    assert.equal(await waitForPageResult(page), 'success=true');
    assert.equal((await printer.prints()).length, 3);
    assert.equal((await promptTabs(run)).length, 0, 'no second question');
  });
  return figures;
}

async function waitForOffer(ext, tabId) {
  const end = Date.now() + 5000;
  for (;;) {
    const state = await inExtension(ext, async (id) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const offer = (await api.runtime.sendMessage({ type: 'posOffer', tabId: id })).value;
      const badge = await (api.action ?? api.browserAction).getBadgeText({ tabId: id });
      return { offer, badge };
    }, tabId);
    if (state.offer && state.badge === '+') return state.offer;
    if (Date.now() > end) throw new Error(`no offer on the POS tab: ${JSON.stringify(state)}`);
    await sleep(50);
  }
}

// A browser that rejected the printer before (a direct print from the POS before it was
// configured, the page's permission granted: in Chromium the certificate rejection is then cached
// for 30 minutes, docs/browser-behaviour.md §6) still prints right after Trust, with no restart.
// On that first failure the toolbar offers to use epos-trust on this POS (the badge and the
// popup's offer), which the test accepts.
export async function rejectedEarlierThenTrust(kind) {
  await withPrintPage(kind, { name: 'rejected-earlier', permission: 'granted', configure: false }, async ({ run, ext, printer, pos }) => {
    await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true, odooOrigins: [] });
    const { page, tabId } = await openPosWindow(run, ext, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    assert.equal(await waitForPageResult(page), FAILED);
    assert.equal((await promptTabs(run)).length, 0, 'not configured: no question');
    // The offer for this POS origin (what the popup shows): badge, then accept.
    const offer = await waitForOffer(ext, tabId);
    assert.equal(offer.origin, pos.origin);
    const accepted = await inExtension(ext, async (id) => {
      const api = globalThis.browser ?? globalThis.chrome;
      return (await api.runtime.sendMessage({ type: 'posOfferAccept', tabId: id })).value;
    }, tabId);
    assert.deepEqual(accepted, { added: true, origin: pos.origin });
    // The tab reloads with the hook in place.
    await sleep(500);
    await waitForSelector(page, '#print');
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await waitForPromptState(prompt, ['asking']);
    const t0 = Date.now();
    await prompt.click('[data-role="trust"]');
    assert.equal(await waitForPageResult(page), 'success=true');
    record(`${kind === 'chrome' ? 'Chromium' : 'Firefox'} after an earlier rejection, confirm to printed`, Date.now() - t0);
    assert.equal((await printer.prints()).length, 1);
    await waitForPromptState(prompt, ['printed']).catch(() => null);
  });
}

// Not now: nothing installed, nothing sent, the page's print fails as a network failure does.
export async function notNow(kind) {
  await withPrintPage(kind, { name: 'not-now', permission: 'denied' }, async ({ run, sandbox, ext, printer, pos }) => {
    const { page, windowId, tabId } = await openPosWindow(run, ext, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await waitForPromptState(prompt, ['asking']);
    await shot(prompt, `pos-prompt-${run.kind}-asking`);
    await prompt.click('[data-role="decline"]');
    assert.equal(await waitForPageResult(page), FAILED);
    await waitForPromptClosed(run);
    assert.deepEqual(journalOf(kind, sandbox, printer), []);
    assert.deepEqual(await printer.prints(), []);
    assert.equal((await windowState(ext, windowId)).activeId, tabId);
  });
}

// A POS origin nobody configured, and a cross-origin frame inside a configured POS: no question,
// no relay, nothing at the printer, nothing installed.
export async function notAsked(kind) {
  const options = { name: 'not-asked', permission: 'granted', companions: 1, companionPages: null };
  await withPrintPage(kind, options, async ({ run, sandbox, ext, printer, pos, companions }) => {
    const [other] = companions;
    // The other origin's own top-level page.
    const alone = await openPosWindow(run, ext, `${other.origin}/pos/ui?config_id=1`);
    await alone.page.click('#print');
    assert.equal(await waitForPageResult(alone.page), FAILED);
    // The other origin framed by the configured POS.
    const framed = await openPosWindow(run, ext, `${pos.origin}/pos/ui?frame=${encodeURIComponent(`${other.origin}/pos/ui?framed=1`)}`);
    const end = Date.now() + 10000;
    let frame = null;
    while (!frame && Date.now() < end) {
      frame = framed.page.frames().find((f) => f.url().startsWith(other.origin));
      if (!frame) await sleep(50);
    }
    assert.ok(frame, 'the frame loaded');
    await waitForSelector(frame, '#print');
    await frame.click('#print');
    assert.equal(await waitForPageResult(frame), FAILED);
    await sleep(1000); // time enough for a prompt tab, had one been asked for
    assert.equal((await promptTabs(run)).length, 0, 'no question');
    assert.deepEqual(await printer.prints(), [], 'no relay, nothing at the printer');
    assert.deepEqual(journalOf(kind, sandbox, printer), []);
  });
}

// Kiosk / full-screen: the prompt is a tab in the POS's own window, so the window keeps its mode;
// after the answer the POS tab is active again, still full screen.
export async function fullScreen(kind) {
  await withPrintPage(kind, { name: 'fullscreen', permission: 'denied' }, async ({ run, ext, pos }) => {
    const { page, windowId, tabId } = await openPosWindow(run, ext, `${pos.origin}/pos/ui?config_id=1`);
    await inExtension(ext, async (id) => {
      const api = globalThis.browser ?? globalThis.chrome;
      await api.windows.update(id, { state: 'fullscreen' });
    }, windowId);
    const before = await windowState(ext, windowId);
    assert.equal(before.state, 'fullscreen');
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await waitForPromptState(prompt, ['asking']);
    const asking = await windowState(ext, windowId);
    assert.ok(asking.active.includes('prompt/prompt.html'), `the prompt is the active tab: ${JSON.stringify(asking)}`);
    assert.equal(asking.state, 'fullscreen', 'the window is still full screen');
    assert.equal(asking.tabs, before.tabs + 1, 'a tab in the same window, not a new window');
    await prompt.click('[data-role="decline"]');
    await waitForPromptClosed(run);
    const after = await windowState(ext, windowId);
    assert.equal(after.activeId, tabId);
    assert.equal(after.state, 'fullscreen');
  });
}
