// The person's side of the decision: the extension's own prompt tab, `prompt/prompt.html#<id>`,
// opened by the background as a new active tab in the POS tab's window (docs/design.md: the
// decision is made where no page can reach it). What it shows: #address, #fingerprint, #names
// (li[data-scope]), #verdict, #origin, buttons [data-role=trust] / [data-role=decline], and
// #status[data-state] = asking | trusting | printing | printed | print_failed | declined | failed.
// Works alike in Chromium (CDP) and Firefox (WebDriver BiDi).
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const PROMPT_PATH = 'prompt/prompt.html';
const FINAL = ['printed', 'print_failed', 'declined', 'failed', 'trusted'];

export function isPromptUrl(run, url) {
  return typeof url === 'string' && url.startsWith(`${run.base}${PROMPT_PATH}`);
}
const isPrompt = isPromptUrl;

// A page's own location. Firefox's WebDriver BiDi reports no navigation into moz-extension://
// (puppeteer's page.url() stays about:blank for a tab the extension opened): ask the page.
async function hrefOf(run, page) {
  const url = page.url();
  if (run.kind === 'chrome' || isPrompt(run, url) || page.isClosed()) return url;
  return Promise.race([
    page.evaluate(() => location.href).catch(() => url),
    sleep(500).then(() => url),
  ]);
}

// Every open prompt tab (puppeteer pages), in both browsers.
export async function promptTabs(run) {
  const pages = await run.browser.pages();
  const out = [];
  for (const page of pages) {
    if (isPrompt(run, await hrefOf(run, page))) out.push(page);
  }
  return out;
}

// Waits for a prompt tab to open; resolves with its page and the time it was first seen.
export async function waitForPromptTab(run, { timeoutMs = 15000, except = [] } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = (await promptTabs(run)).find((p) => !except.includes(p));
    if (found) {
      if (process.env.EPOS_E2E_DEBUG) {
        found.on('console', (m) => console.log('prompt console:', m.text()));
        found.on('pageerror', (e) => console.log('prompt error:', e.message));
      }
      await found.waitForSelector('#status[data-state]', { timeout: Math.max(1000, end - Date.now()) });
      return found;
    }
    await sleep(25);
  }
  throw new Error(`no prompt tab (${run.base}${PROMPT_PATH}) opened in ${timeoutMs} ms`);
}

// No prompt tab for `ms` (an attack must not raise one).
export async function expectNoPromptTab(run, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const tabs = await promptTabs(run);
    if (tabs.length) throw new Error(`a prompt tab opened: ${tabs.map((t) => t.url()).join(', ')}`);
    await sleep(50);
  }
}

export async function promptFacts(prompt) {
  return prompt.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent.trim() ?? null;
    return {
      address: text('#address'),
      fingerprint: text('#fingerprint'),
      names: [...document.querySelectorAll('#names li')].map((li) => ({ value: li.textContent.trim(), scope: li.dataset.scope })),
      verdict: text('#verdict'),
      origin: text('#origin'),
      state: document.querySelector('#status')?.dataset.state ?? null,
      status: text('#status'),
      trustButton: (() => {
        const b = document.querySelector('[data-role=trust]');
        return !!b && !b.hidden && !b.disabled;
      })(),
    };
  });
}

export async function promptState(page) {
  return page.$eval('#status', (el) => el.dataset.state).catch(() => null);
}

// Waits until the prompt's #status reaches one of `states` (default: any outcome); returns
// {state, text}. Records every state seen on the way (`seen`), so that a test can say "printed"
// came only after "printing". A tab that closed meanwhile ends the wait at once.
export async function waitForPromptState(page, states = FINAL, { timeoutMs = 20000, seen = [] } = {}) {
  const end = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < end) {
    if (page.isClosed()) break;
    last = await page
      .$eval('#status', (el) => ({ state: el.dataset.state, text: el.textContent }))
      .catch(() => null);
    if (last && seen.at(-1) !== last.state) seen.push(last.state);
    if (last && states.includes(last.state)) return last;
    await sleep(10);
  }
  throw new Error(`the prompt never reached ${states.join('/')} (last: ${JSON.stringify(last)}, seen ${seen.join(' > ')})`);
}

// The buttons appear once the host has inspected the printer (#status 'checking' before).
// Resolves with the wall-clock time just before the click (the benchmarks' t0).
export async function clickTrust(prompt, { timeoutMs = 15000 } = {}) {
  await prompt.waitForSelector('[data-role=trust]:not([hidden])', { timeout: timeoutMs }).catch(async (e) => {
    const facts = await promptFacts(prompt).catch(() => null);
    throw new Error(`no Trust button on the prompt (${e.message}); it shows ${JSON.stringify(facts)}`);
  });
  const t0 = Date.now();
  await prompt.click('[data-role=trust]');
  return t0;
}

export async function clickDecline(prompt, { timeoutMs = 15000 } = {}) {
  await prompt.waitForSelector('[data-role=decline]:not([hidden])', { timeout: timeoutMs });
  await prompt.click('[data-role=decline]');
}

// After the outcome the prompt closes itself (~1.5 s) and the POS tab is active again.
// waitForPromptClosed(run[, prompt][, {timeoutMs}]): that prompt, or every prompt tab.
export async function waitForPromptClosed(run, promptOrOptions, maybeOptions) {
  const prompt = promptOrOptions && typeof promptOrOptions.evaluate === 'function' ? promptOrOptions : null;
  const { timeoutMs = 8000 } = (prompt ? maybeOptions : promptOrOptions) ?? {};
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const open = await promptTabs(run);
    if (prompt ? prompt.isClosed() || !open.includes(prompt) : open.length === 0) return;
    await sleep(50);
  }
  throw new Error('the prompt tab did not close itself after its outcome');
}

// The POS page's own answer (#result), once it is no longer 'printing'.
export async function waitForPageResult(page, { timeoutMs = 20000 } = {}) {
  const end = Date.now() + timeoutMs;
  let text = null;
  while (Date.now() < end) {
    text = await page.$eval('#result', (el) => el.textContent).catch(() => null);
    if (text && text !== 'printing' && text !== 'idle') return text;
    await sleep(20);
  }
  throw new Error(`the POS page never got an answer (says: ${text})`);
}

// Whether a tab is the active one of its window, asked through the extension's own API from an
// extension page `ext` (puppeteer has no such notion in both browsers alike).
export async function activeTabUrls(ext) {
  return ext.evaluate(async () => {
    const api = globalThis.browser ?? globalThis.chrome;
    const tabs = await api.tabs.query({ active: true });
    const out = [];
    for (const t of tabs) {
      const w = await api.windows.get(t.windowId);
      out.push({ url: t.url ?? t.pendingUrl ?? '', windowId: t.windowId, state: w.state, index: t.index });
    }
    return out;
  });
}

// The URLs of the active tabs, asked through the extension's own API from `extPage`.
export async function activeTabUrl(extPage) {
  return (await activeTabUrls(extPage)).map((t) => t.url);
}
