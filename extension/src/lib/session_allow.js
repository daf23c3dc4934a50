// Origins the pre-connection check has answered for in this browser session: navigations to them
// go straight through. Chromium: a declarativeNetRequest allow rule per origin (session rules die
// with the browser). Firefox: a list in storage.session, read by the blocking listener.

import { api as browserApi, IS_FIREFOX } from './browser.js';
import { allowRule, allowedOrigin, nextAllowRuleId } from './dnr_rules.js';

const FIREFOX_KEY = 'allowedOrigins';

// api: {storage.session} (Firefox) or {declarativeNetRequest} (Chromium); isFirefox picks which.
export function sessionAllow(api, isFirefox) {
  async function allowedOrigins() {
    if (isFirefox) {
      const stored = await api.storage.session.get(FIREFOX_KEY);
      return stored[FIREFOX_KEY] ?? [];
    }
    const rules = await api.declarativeNetRequest.getSessionRules();
    return rules.map(allowedOrigin).filter(Boolean);
  }

  async function addOrigin(origin) {
    if (isFirefox) {
      const origins = await allowedOrigins();
      if (!origins.includes(origin)) {
        await api.storage.session.set({ [FIREFOX_KEY]: [...origins, origin] });
      }
      return;
    }
    const rules = await api.declarativeNetRequest.getSessionRules();
    if (rules.some((r) => allowedOrigin(r) === origin)) return;
    await api.declarativeNetRequest.updateSessionRules({
      addRules: [allowRule(nextAllowRuleId(rules), origin)],
    });
  }

  async function removeOrigin(origin) {
    if (isFirefox) {
      const origins = await allowedOrigins();
      await api.storage.session.set({ [FIREFOX_KEY]: origins.filter((o) => o !== origin) });
      return;
    }
    const rules = await api.declarativeNetRequest.getSessionRules();
    const ids = rules.filter((r) => allowedOrigin(r) === origin).map((r) => r.id);
    if (ids.length > 0) await api.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
  }

  // Every change goes through one queue (the background is the only writer), so two answers
  // arriving together cannot pick the same rule id.
  let queue = Promise.resolve();
  function serialized(fn) {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  }

  return {
    allowedOrigins,
    isAllowed: async (origin) => (await allowedOrigins()).includes(origin),
    allowOrigin: (origin) => serialized(() => addOrigin(origin)),
    forgetOrigin: (origin) => serialized(() => removeOrigin(origin)),
  };
}

// The extension's own, on the real API (undefined outside a browser: unit tests build their own).
const real = browserApi ? sessionAllow(browserApi, IS_FIREFOX) : null;
export const allowedOrigins = (...a) => real.allowedOrigins(...a);
export const isAllowed = (...a) => real.isAllowed(...a);
export const allowOrigin = (...a) => real.allowOrigin(...a);
export const forgetOrigin = (...a) => real.forgetOrigin(...a);
