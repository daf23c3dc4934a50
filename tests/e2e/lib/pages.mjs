// Watching pages from outside, the same way in both browsers: poll the page's own state (puppeteer's
// navigation events do not cover moz-extension:// pages or interstitials alike in both).
import { waitForLocation } from './browsers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Starts a navigation without waiting for it (the extension may redirect it, and Firefox reports
// no navigation into moz-extension://). Returns the wall-clock start in ms since the epoch.
export function startNavigation(page, url) {
  const t0 = Date.now();
  page.goto(url, { timeout: 20000 }).catch(() => {});
  return t0;
}

// Waits until the printer's own page (the emulator's Web Config) has loaded in `page`; returns the
// wall-clock time of its load event end. Only a verified certificate gets there: nobody clicks
// through a warning in these tests.
export async function waitForPrinterPage(page, printerUrl, { timeoutMs = 15000 } = {}) {
  const end = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < end) {
    last = await page
      .evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          href: location.href,
          title: document.title,
          loadEnd: nav && nav.loadEventEnd > 0 ? performance.timeOrigin + nav.loadEventEnd : 0,
        };
      })
      .catch(() => null);
    if (last && last.href.startsWith(printerUrl) && last.title.includes('Web Config') && last.loadEnd > 0) {
      return last.loadEnd;
    }
    await sleep(15);
  }
  throw new Error(`the printer page never loaded securely (last: ${JSON.stringify(last)})`);
}

// Waits for the browser's certificate warning in `page`.
export async function waitForWarning(page, { timeoutMs = 15000 } = {}) {
  const end = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < end) {
    last = await page.evaluate(() => ({ uri: document.documentURI, title: document.title })).catch(() => null);
    if (last && (last.title === 'Privacy error' || last.uri.startsWith('about:certerror'))) return last;
    await sleep(25);
  }
  throw new Error(`no certificate warning (last: ${JSON.stringify(last)})`);
}

export async function waitForSelector(page, selector, { timeoutMs = 15000 } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = await page.$(selector).catch(() => null);
    if (found) return found;
    await sleep(20);
  }
  const text = await page.evaluate(() => document.body?.innerText ?? '').catch((e) => e.message);
  throw new Error(`${selector} never appeared; the page says: ${text.slice(0, 600)}`);
}

export async function textOf(page, selector) {
  return page.$eval(selector, (el) => el.textContent);
}

// The extension's page for the tab showing `url` (popup opened as a page: ?url=).
export function popupPath(url) {
  return `popup/popup.html?url=${encodeURIComponent(url)}`;
}

export async function waitForExtensionPage(page, run, path) {
  return waitForLocation(page, (href, u) => href === u, run.base + path);
}

// The badge the extension set on the tab showing `url`, read through the extension's own API
// (waiting up to 3 s for `expected`).
export async function badgeFor(extensionPage, url, expected) {
  const end = Date.now() + 3000;
  let text = null;
  do {
    text = await extensionPage.evaluate(async (u) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const tabs = await api.tabs.query({});
      const tab = tabs.find((t) => (t.url ?? '').startsWith(u));
      if (!tab) return null;
      return (api.action ?? api.browserAction).getBadgeText({ tabId: tab.id });
    }, url);
    if (text === expected) return text;
    await sleep(50);
  } while (Date.now() < end);
  return text;
}
