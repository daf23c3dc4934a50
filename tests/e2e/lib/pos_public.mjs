// The Odoo POS as shops run it (Odoo Online, odoo.sh): the POS page on a PUBLIC origin, the printer
// on a LOCAL address, so that the browser's Local Network Access gate applies
// (docs/browser-behaviour.md §9). Loopback only: 127.0.0.1:<posPort> is made to count as public
// and 127.0.0.26:<printerPort> as local (Chromium --ip-address-space-overrides; Firefox the
// network.lna.address_space.*.override prefs). The person decides on the prompt tab; after Trust the
// print goes through the host's relay. Written once, run by pos_public.chromium/.firefox.test.mjs.
import assert from 'node:assert/strict';
import { extensionPage, setLocalSettings } from './browsers.mjs';
import { startPrinter } from './emulator.mjs';
import { textOf, waitForSelector } from './pages.mjs';
import { startPosServer } from './pos_server.mjs';
import { promptTabs, waitForPromptClosed, waitForPromptState, waitForPromptTab } from './prompt_tab.mjs';
import { record } from './results.mjs';
import { TEST_NETWORKS, withBrowser } from './scenarios.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// EPOS_E2E_SCREENSHOTS=<folder>: the prompt tab as the person sees it, as PNG files.
async function shot(page, name) {
  const dir = process.env.EPOS_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png` }).catch(() => {});
}
const PRINTER_IP = '127.0.0.26';
const FAILED = 'Connection to the printer failed';

// permission: 'granted' | 'denied' | 'prompt' (nobody answers: headless).
function launchOptions(kind, pos, printer, permission, others = []) {
  if (kind === 'chrome') {
    const spaces = [`127.0.0.1:${pos.port}=public`, ...others.map((o) => `127.0.0.1:${o.port}=public`)];
    spaces.push(`${PRINTER_IP}:${printer.port}=local`);
    return {
      extraArgs: [`--ignore-certificate-errors-spki-list=${pos.spkiSha256}`, `--ip-address-space-overrides=${spaces.join(',')}`],
    };
  }
  const prefs = {
    'network.lna.address_space.public.override': [pos, ...others].map((o) => `127.0.0.1:${o.port}`).join(','),
    'network.lna.address_space.private.override': `${PRINTER_IP}:${printer.port}`,
  };
  if (permission === 'granted') prefs['permissions.default.local-network'] = 1;
  if (permission === 'denied') prefs['permissions.default.local-network'] = 2;
  return { trustedPem: pos.certPem, extraPrefs: prefs };
}

async function setPermission(run, origin, permission) {
  if (run.kind !== 'chrome') return; // Firefox: the default, set by pref at launch
  await run.browser.defaultBrowserContext().setPermission(origin, { permission: { name: 'local-network' }, state: permission });
}

// The extension's own API, asked from an extension page in another window than the POS.
function inExtension(ext, fn, ...args) {
  return ext.evaluate(fn, ...args);
}

// Opens `url` in a window of its own (so that the extension page never becomes the POS window's
// active tab) and returns {page, windowId, tabId}.
async function openPos(run, ext, url) {
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

async function waitForResult(page, frame = page) {
  const end = Date.now() + 20000;
  for (;;) {
    const text = await textOf(frame, '#result');
    if (text !== 'printing' && text !== 'idle') return text;
    if (Date.now() > end) throw new Error(`the POS never finished printing (says: ${text})`);
    await sleep(10);
  }
}

function installed(sandbox, printer) {
  return sandbox.hostCli('list').entries.filter((e) => e.sha256 === printer.sha256);
}

async function withPublicPos(kind, { name, permission = 'denied', configure = true, others = 0 }, body) {
  const printer = await startPrinter({ address: PRINTER_IP });
  const pos = await startPosServer({ printerIp: `${PRINTER_IP}:${printer.port}` });
  const extra = [];
  for (let i = 0; i < others; i += 1) extra.push(await startPosServer({ printerIp: `${PRINTER_IP}:${printer.port}`, tls: pos.tls }));
  try {
    await withBrowser(kind, { name, launchOptions: launchOptions(kind, pos, printer, permission, extra) }, async ({ run, sandbox }) => {
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true, odooOrigins: configure ? [pos.origin] : [] });
      for (const origin of [pos.origin, ...extra.map((o) => o.origin)]) await setPermission(run, origin, permission);
      const ext = await extensionPage(run);
      await body({ run, sandbox, ext, printer, pos, others: extra });
    });
  } finally {
    printer.stop();
    await pos.close();
    for (const o of extra) await o.close();
  }
}

// One Trust click on the prompt tab -> the held receipt reaches the printer through the relay;
// "printed" appears only once the printer's answer is back; a second print arrives too, with no
// second question. Returns the figures.
export async function trustThenPrint(kind, permission) {
  const figures = {};
  await withPublicPos(kind, { name: `public-${permission}`, permission }, async ({ run, sandbox, ext, printer, pos }) => {
    const { page, windowId, tabId } = await openPos(run, ext, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await waitForPromptState(prompt, ['asking']);
    assert.equal(await textOf(prompt, '#origin'), pos.origin);
    assert.match(await textOf(prompt, '#address'), new RegExp(`^${PRINTER_IP.replaceAll('.', '\\.')}:${printer.port}$`));
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
    assert.equal(await waitForResult(page), 'success=true');
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
    assert.equal(installed(sandbox, printer).length, 1, 'the certificate is installed as before');
    await waitForPromptClosed(run);
    const after = await windowState(ext, windowId);
    assert.equal(after.activeId, tabId, 'the POS tab is active again');
    // A later print from that origin goes through the relay too, with no question.
    const t1 = Date.now();
    await page.click('#print');
    assert.equal(await waitForResult(page), 'success=true');
    figures.laterPrint = record(`public POS (${permission}), a later print`, Date.now() - t1);
    assert.equal((await printer.prints()).length, 2);
    // Odoo's use_lna print (http:, targetAddressSpace "local") to the printer trusted for this
    // origin goes through the relay over https (the emulator speaks only TLS: a direct http print
    // could not reach it).
    await page.click('#print-http');
    assert.equal(await waitForResult(page), 'success=true');
    assert.equal((await printer.prints()).length, 3);
    assert.equal((await promptTabs(run)).length, 0, 'no second question');
  });
  return figures;
}

// Chromium that rejected the printer before (a direct print from the POS before it was
// configured: the certificate rejection is cached for 30 minutes, docs/browser-behaviour.md §6)
// still prints right after Trust, with no restart. On that first failure the toolbar offers to
// use epos-trust on this POS (the badge and the popup's offer), which the test accepts.
export async function rejectedEarlierThenTrust(kind) {
  await withPublicPos(kind, { name: 'rejected-earlier', permission: 'granted', configure: false }, async ({ run, ext, printer, pos }) => {
    const { page, tabId } = await openPos(run, ext, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    assert.equal(await waitForResult(page), FAILED);
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
    assert.equal(await waitForResult(page), 'success=true');
    record(`${kind === 'chrome' ? 'Chromium' : 'Firefox'} after an earlier rejection, confirm to printed`, Date.now() - t0);
    assert.equal((await printer.prints()).length, 1);
    await waitForPromptState(prompt, ['printed']).catch(() => null);
  });
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

// Not now: nothing installed, nothing sent, the page's print fails as a network failure does.
export async function notNow(kind) {
  await withPublicPos(kind, { name: 'not-now', permission: 'denied' }, async ({ run, sandbox, ext, printer, pos }) => {
    const { page, windowId, tabId } = await openPos(run, ext, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await waitForPromptState(prompt, ['asking']);
    await shot(prompt, `pos-prompt-${run.kind}-asking`);
    await prompt.click('[data-role="decline"]');
    assert.equal(await waitForResult(page), FAILED);
    await waitForPromptClosed(run);
    assert.deepEqual(installed(sandbox, printer), []);
    assert.deepEqual(await printer.prints(), []);
    assert.equal((await windowState(ext, windowId)).activeId, tabId);
  });
}

// A POS origin nobody configured, and a cross-origin frame inside a configured POS: no question,
// no relay, nothing at the printer, nothing installed.
export async function notAsked(kind) {
  await withPublicPos(kind, { name: 'not-asked', permission: 'granted', others: 1 }, async ({ run, sandbox, ext, printer, pos, others }) => {
    const [other] = others;
    // The other origin's own top-level page.
    const alone = await openPos(run, ext, `${other.origin}/pos/ui?config_id=1`);
    await alone.page.click('#print');
    assert.equal(await waitForResult(alone.page), FAILED);
    // The other origin framed by the configured POS.
    const framed = await openPos(run, ext, `${pos.origin}/pos/ui?frame=${encodeURIComponent(`${other.origin}/pos/ui?framed=1`)}`);
    const end = Date.now() + 10000;
    let frame = null;
    while (!frame && Date.now() < end) {
      frame = framed.page.frames().find((f) => f.url().startsWith(other.origin));
      if (!frame) await sleep(50);
    }
    assert.ok(frame, 'the frame loaded');
    await waitForSelector(frame, '#print');
    await frame.click('#print');
    assert.equal(await waitForResult(framed.page, frame), FAILED);
    await sleep(1000); // time enough for a prompt tab, had one been asked for
    assert.equal((await promptTabs(run)).length, 0, 'no question');
    assert.deepEqual(await printer.prints(), [], 'no relay, nothing at the printer');
    assert.deepEqual(installed(sandbox, printer), []);
  });
}

// Kiosk / full-screen: the prompt is a tab in the POS's own window, so the window keeps its mode;
// after the answer the POS tab is active again, still full screen.
export async function fullScreen(kind) {
  await withPublicPos(kind, { name: 'fullscreen', permission: 'denied' }, async ({ run, ext, pos }) => {
    const { page, windowId, tabId } = await openPos(run, ext, `${pos.origin}/pos/ui?config_id=1`);
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
