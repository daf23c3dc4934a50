// The POS question's own tab (extension/src/prompt/): find it among the browser's pages, read its
// state, answer it. Works alike in Chromium (CDP) and Firefox (WebDriver BiDi).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function isPromptUrl(run, url) {
  return typeof url === 'string' && url.startsWith(`${run.base}prompt/prompt.html`);
}

// Firefox's WebDriver BiDi reports no navigation into moz-extension:// (the page stays
// "about:blank" to puppeteer): ask the page itself where it is.
async function whereIs(page) {
  const url = page.url();
  if (url !== 'about:blank') return url;
  return page.evaluate(() => location.href).catch(() => url);
}

// Waits for the prompt tab and returns its puppeteer Page.
export async function waitForPromptTab(run, { timeoutMs = 15000 } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const page of await run.browser.pages()) {
      if (isPromptUrl(run, await whereIs(page))) {
        if (process.env.EPOS_E2E_DEBUG) {
          page.on('console', (m) => console.log('prompt console:', m.text()));
          page.on('pageerror', (e) => console.log('prompt error:', e.message));
        }
        await page.waitForSelector('#status', { timeout: 5000 }).catch(() => {});
        return page;
      }
    }
    await sleep(25);
  }
  const urls = (await run.browser.pages()).map((p) => p.url());
  throw new Error(`no prompt tab opened (pages: ${urls.join(', ')})`);
}

export async function promptTabs(run) {
  const found = [];
  for (const page of await run.browser.pages()) if (isPromptUrl(run, await whereIs(page))) found.push(page);
  return found;
}

export async function promptState(page) {
  return page.$eval('#status', (el) => el.dataset.state).catch(() => null);
}

// Waits until the prompt's #status reaches one of `states`; returns {state, text}. Records every
// state seen on the way (`seen`), so that a test can say "printed" came only after "printing".
export async function waitForPromptState(page, states, { timeoutMs = 15000, seen = [] } = {}) {
  const end = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < end) {
    last = await page
      .$eval('#status', (el) => ({ state: el.dataset.state, text: el.textContent }))
      .catch(() => null);
    if (last && seen.at(-1) !== last.state) seen.push(last.state);
    if (last && states.includes(last.state)) return last;
    await sleep(10);
  }
  throw new Error(`the prompt never reached ${states.join('/')} (last: ${JSON.stringify(last)}, seen ${seen.join(' > ')})`);
}

// Waits until the prompt tab is gone (it closes itself ~1.5 s after printed / declined).
export async function waitForPromptClosed(run, { timeoutMs = 8000 } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await promptTabs(run)).length === 0) return;
    await sleep(50);
  }
  throw new Error('the prompt tab did not close');
}

// Which tab is active in the window, asked through the extension's own API from `extPage`.
export async function activeTabUrl(extPage) {
  return extPage.evaluate(async () => {
    const api = globalThis.browser ?? globalThis.chrome;
    const tabs = await api.tabs.query({ active: true });
    return tabs.map((t) => t.url ?? t.pendingUrl ?? '');
  });
}
