// Real headless Chromium and Firefox ESR with the built extension (docs/browser-behaviour.md §1 and §2).
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROME_ID, FIREFOX_ID } from '../../../extension/manifest.mjs';
import { CHROMIUM_TEST_FLAGS, firefoxTestPrefs } from '../../lib/browser_options.mjs';
import { paths } from './paths.mjs';

// extension: false starts the same browser without it (tests/bench: what the extension costs).
export async function launchChromium(sandbox, { extraArgs = [], headless = true, extension = true } = {}) {
  const ext = join(paths.extension, 'chrome');
  const loadIt = extension ? [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`] : [];
  const browser = await puppeteer.launch({
    executablePath: paths.chromium,
    headless,
    defaultViewport: headless ? undefined : null,
    userDataDir: sandbox.profile,
    env: sandbox.env,
    args: [...CHROMIUM_TEST_FLAGS, ...loadIt, ...extraArgs],
    ignoreDefaultArgs: extension ? ['--disable-extensions'] : [],
  });
  if (!extension) return { kind: 'chrome', browser, base: null };
  await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${CHROME_ID}/`),
    { timeout: 15000 },
  );
  return { kind: 'chrome', browser, base: `chrome-extension://${CHROME_ID}/` };
}

// trustedPem: a certificate to anchor in the new profile before start (the POS page's own);
// extraPrefs / extraArgs: a suite's own (Local Network Access prefs in lna.mjs, --kiosk).
export async function launchFirefox(
  sandbox,
  { trustedPem, headless = true, extension = true, extraPrefs = {}, extraArgs = [] } = {},
) {
  if (trustedPem) {
    const pemPath = join(sandbox.dir, 'pos.pem');
    writeFileSync(pemPath, trustedPem);
    execFileSync('certutil', ['-N', '-d', `sql:${sandbox.profile}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${sandbox.profile}`, '-n', 'e2e-pos-page', '-t', 'C,,', '-i', pemPath]);
  }
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: paths.firefox,
    headless,
    userDataDir: sandbox.profile,
    env: sandbox.env,
    args: extraArgs,
    // A fixed moz-extension:// host for the extension's pages in this profile.
    extraPrefsFirefox: firefoxTestPrefs({
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: uuid }),
      ...extraPrefs,
    }),
  });
  if (!extension) return { kind: 'firefox', browser, base: null };
  await browser.installExtension(join(paths.extension, 'firefox'));
  return { kind: 'firefox', browser, base: `moz-extension://${uuid}/` };
}

export function launch(kind, sandbox, options) {
  return kind === 'chrome' ? launchChromium(sandbox, options) : launchFirefox(sandbox, options);
}

// A plain http page on loopback, only used as a stepping stone: Firefox's WebDriver BiDi refuses
// to navigate to moz-extension:// URLs, but a web page may open the extension's web-accessible
// check page, and an extension page may open the others.
let stepServer = null;
async function steppingStone() {
  if (!stepServer) {
    stepServer = http.createServer((_req, res) => res.end('<!doctype html><title>step</title>'));
    await new Promise((resolve) => stepServer.listen(0, '127.0.0.1', resolve));
    stepServer.unref();
  }
  return `http://127.0.0.1:${stepServer.address().port}/`;
}

export async function gotoExtensionPage(run, page, path) {
  if (run.kind === 'chrome') {
    await page.goto(run.base + path);
    return;
  }
  await page.goto(await steppingStone());
  for (const url of [`${run.base}check/check.html`, run.base + path]) {
    await page.evaluate((u) => (location.href = u), url);
    // Puppeteer sees no navigation event into moz-extension://: poll the page itself.
    await waitForLocation(page, (href, u) => href === u, url);
  }
}

// Polls the page's own location (across navigations, where evaluate may fail for a moment).
export async function waitForLocation(page, predicate, arg, { timeoutMs = 10000 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const href = await page.evaluate(() => document.readyState === 'complete' && location.href).catch(() => null);
    if (href && predicate(href, arg)) return href;
    if (Date.now() > end) throw new Error(`page never reached the expected location (last: ${href})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// An extension page (settings page by default) to run extension API calls from.
export async function extensionPage(run, path = 'options/options.html') {
  const page = await run.browser.newPage();
  await gotoExtensionPage(run, page, path);
  return page;
}

export async function setLocalSettings(run, settings) {
  const page = await extensionPage(run);
  await page.evaluate((s) => (globalThis.browser ?? globalThis.chrome).storage.local.set(s), settings);
  // Wait until the background has applied them: its effective settings, the POS content scripts
  // for the Odoo origins, and (Chromium) the declarativeNetRequest redirect rules.
  await page.waitForFunction(
    async (want) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const reply = await api.runtime.sendMessage({ type: 'settings' });
      const effective = reply?.value;
      if (!effective || effective.precheck !== (want.precheck !== false)) return false;
      if (want.networks && effective.networks.join() !== want.networks.join()) return false;
      if (want.odooOrigins?.length) {
        const scripts = await api.scripting.getRegisteredContentScripts();
        const hook = scripts.find((c) => c.id === 'pos-hook');
        if (!hook || !want.odooOrigins.every((o) => hook.matches.includes(`https://${new URL(o).hostname}/*`))) {
          return false;
        }
      }
      if (!api.declarativeNetRequest) return true;
      const rules = await api.declarativeNetRequest.getSessionRules();
      const redirects = rules.filter((r) => r.action.type === 'redirect');
      return want.precheck !== false ? redirects.some((r) => r.condition.regexFilter.includes('127')) : redirects.length === 0;
    },
    // Chromium's policy service answers storage.managed only seconds after start (background.js).
    { polling: 50, timeout: 15000 },
    settings,
  );
  await page.close();
}
