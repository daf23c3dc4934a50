// Origins the pre-connection check has answered for in this browser session: navigations to them
// go straight through. Chromium: a declarativeNetRequest allow rule per origin (session rules die
// with the browser). Firefox: a list in storage.session, read by the blocking listener.

import { api, IS_FIREFOX } from './browser.js';
import { allowRule, allowedOrigin, nextAllowRuleId } from './dnr_rules.js';

const FIREFOX_KEY = 'allowedOrigins';

export async function allowedOrigins() {
  if (IS_FIREFOX) {
    const stored = await api.storage.session.get(FIREFOX_KEY);
    return stored[FIREFOX_KEY] ?? [];
  }
  const rules = await api.declarativeNetRequest.getSessionRules();
  return rules.map(allowedOrigin).filter(Boolean);
}

export async function isAllowed(origin) {
  return (await allowedOrigins()).includes(origin);
}

// Every change goes through one queue (the background is the only writer), so two answers arriving
// together cannot pick the same rule id.
let queue = Promise.resolve();
function serialized(fn) {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

export function allowOrigin(origin) {
  return serialized(() => addOrigin(origin));
}

export function forgetOrigin(origin) {
  return serialized(() => removeOrigin(origin));
}

async function addOrigin(origin) {
  if (IS_FIREFOX) {
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
  if (IS_FIREFOX) {
    const origins = await allowedOrigins();
    await api.storage.session.set({ [FIREFOX_KEY]: origins.filter((o) => o !== origin) });
    return;
  }
  const rules = await api.declarativeNetRequest.getSessionRules();
  const ids = rules.filter((r) => allowedOrigin(r) === origin).map((r) => r.id);
  if (ids.length > 0) await api.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
}
