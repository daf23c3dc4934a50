// The background (Chromium service worker, Firefox event page): detects certificate warnings on
// local printers, runs the pre-connection check, and is the one place that talks to the host.
// Listeners are registered synchronously at the top level so that a woken worker sees its event.

import { parseTarget } from './lib/address.js';
import { api, BROWSER_FAMILY, IS_FIREFOX, t } from './lib/browser.js';
import { CheckService } from './lib/check_service.js';
import { ChromiumFlushes, offerChromiumFlush, probeSecure } from './lib/chromium_flush.js';
import * as dnr from './lib/dnr_rules.js';
import { HostClient, HostError } from './lib/host_client.js';
import { decide, pinnedSet } from './lib/precheck.js';
import { allowOrigin, forgetOrigin, isAllowed } from './lib/session_allow.js';
import { allOdooOrigins, mergeSettings, posMatchPatterns } from './lib/settings.js';
import { readLocal, readManaged } from './lib/settings_store.js';
import { certErrorKind } from './lib/signals.js';
import { trustPrinter } from './lib/trust_flow.js';
import { reloadAndWatch } from './ui/watch_load.js';
import { setUpPos } from './lib/pos_background.js';

const host = new HostClient(api.runtime);
// Chromium's root-side flush, run here so that it completes when the popup that asked closes.
const flushes = new ChromiumFlushes({ flush: () => host.flushChromium(), isSecure: (origin) => probeSecure(origin) });
const action = api.action ?? api.browserAction;

// ---------------------------------------------------------------------------------------------
// Settings-driven set-up: the pre-connection check (Chromium) and the self-hosted Odoo origins.

async function syncPrecheck(settings) {
  if (IS_FIREFOX) return; // Firefox checks in its blocking webRequest listener instead.
  const rules = settings.precheck ? dnr.redirectRules(settings.networks) : [];
  await api.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [...dnr.REDIRECT_RULE_IDS],
    addRules: rules.map((rule) => dnr.withExtensionId(rule, api.runtime.id)),
  });
  // Chromium preconnects to a navigation's target 11-24 ms after it starts, in parallel with the
  // redirect, and that handshake caches the rejection for 30 minutes (docs/browser-behaviour.md §6). With prediction
  // off no handshake happens before the check page has acted.
  const prediction = api.privacy.network.networkPredictionEnabled;
  if (settings.precheck) await prediction.set({ value: false });
  else await prediction.clear({});
}

const POS_SCRIPT_IDS = ['pos-hook', 'pos-bridge'];

async function syncPosScripts(settings) {
  const origins = allOdooOrigins(settings);
  const registered = await api.scripting.getRegisteredContentScripts({ ids: POS_SCRIPT_IDS });
  if (registered.length > 0) {
    await api.scripting.unregisterContentScripts({ ids: registered.map((s) => s.id) });
  }
  if (origins.length === 0) return;
  const matches = posMatchPatterns(origins);
  await api.scripting.registerContentScripts([
    { id: 'pos-hook', matches, js: ['pos/page_hook.js'], runAt: 'document_start', world: 'MAIN', allFrames: false },
    { id: 'pos-bridge', matches, js: ['pos/bridge.js'], runAt: 'document_start', allFrames: false },
  ]);
}

async function applyEffective(settings) {
  const results = await Promise.allSettled([syncPrecheck(settings), syncPosScripts(settings)]);
  for (const r of results) {
    if (r.status === 'rejected') console.error('epos-trust: applying settings failed:', r.reason);
  }
  return settings;
}

// Chromium answers storage.managed only once its policy service has loaded, seconds after start
// (measured: 1-4 s with Chromium 156). Until then the person's settings apply, so that a printer
// opened right after start is checked too; the policy then replaces them.
async function applySettings() {
  const local = await readLocal();
  const early = Symbol('pending');
  const managedRead = readManaged();
  let managed = await Promise.race([managedRead, new Promise((r) => setTimeout(() => r(early), 200))]);
  if (managed === early) {
    await applyEffective(mergeSettings(local, {}));
    managed = await managedRead;
  }
  return applyEffective(mergeSettings(local, managed));
}

// One application of the settings at a time: two overlapping ones (start, install, a change)
// would unregister and register the same content scripts and rules against each other.
let ready = applySettings();
function reapply() {
  ready = ready.catch(() => undefined).then(applySettings);
}
api.runtime.onInstalled.addListener(reapply);
api.runtime.onStartup?.addListener(reapply);
api.storage.onChanged.addListener((_changes, area) => {
  if (area === 'local' || area === 'managed') reapply();
});

// ---------------------------------------------------------------------------------------------
// Detection: a main-frame certificate error on a local printer marks the tab (docs/browser-behaviour.md §3).

const TAB_KEY = (tabId) => `tab:${tabId}`;

async function markTab(tabId, url, kind) {
  await api.storage.session.set({ [TAB_KEY(tabId)]: { url, kind, at: Date.now() } });
  await Promise.allSettled([
    action.setBadgeText({ tabId, text: '!' }),
    action.setBadgeBackgroundColor({ tabId, color: '#b3261e' }),
    action.setTitle({ tabId, title: t('badgeTitle') }),
  ]);
}

async function clearTab(tabId) {
  await api.storage.session.remove(TAB_KEY(tabId));
  await Promise.allSettled([
    action.setBadgeText({ tabId, text: '' }),
    action.setTitle({ tabId, title: t('actionTitle') }),
  ]);
}

async function tabState(tabId) {
  const stored = await api.storage.session.get(TAB_KEY(tabId));
  return stored[TAB_KEY(tabId)] ?? null;
}

async function onMainFrameError(details) {
  if (details.tabId < 0 || (details.frameId ?? 0) !== 0) return;
  const kind = certErrorKind(details.error);
  if (!kind) return;
  const settings = await ready;
  const target = parseTarget(details.url);
  if (!target || !settings.networks.includes(target.addressClass)) return;
  await markTab(details.tabId, details.url, kind);
}

// Chromium reports the error to webRequest first (+17-39 ms); Firefox's webRequest error is a
// localized sentence, so there webNavigation (with "Error code <nsresult>") is the signal.
api.webNavigation.onErrorOccurred.addListener((d) => void onMainFrameError(d));
if (!IS_FIREFOX) {
  api.webRequest.onErrorOccurred.addListener(
    (d) => {
      if (d.type === 'main_frame') void onMainFrameError(d);
      else void onPosRequestError(d);
    },
    { urls: ['https://*/*'], types: ['main_frame', 'xmlhttprequest', 'other'] },
  );
} else {
  api.webRequest.onErrorOccurred.addListener((d) => void onPosRequestError(d), {
    urls: ['https://*/*'],
    types: ['xmlhttprequest', 'other'],
  });
}
api.webNavigation.onCompleted.addListener((d) => {
  if (d.frameId === 0) void clearTab(d.tabId);
});
api.tabs.onRemoved.addListener((tabId) => void api.storage.session.remove(TAB_KEY(tabId)));
// Firefox resets a tab's badge when its error page loads, after the error event: set it again.
api.tabs.onUpdated.addListener(async (tabId, change, tab) => {
  if (change.status !== 'complete') return;
  const state = await tabState(tabId);
  if (state && state.url === tab.url) await markTab(tabId, state.url, state.kind);
});

// ---------------------------------------------------------------------------------------------
// Host calls, shared by the pages (popup, check page, settings) and the Odoo POS bridge.

function serializeError(e) {
  if (e instanceof HostError) return { code: e.code, message: e.message, details: e.details };
  return { code: 'internal', message: String(e?.message ?? e) };
}

async function inspectDecision(url) {
  const settings = await ready;
  let hello;
  let inspect;
  try {
    hello = await host.hello();
    inspect = await host.inspect(url);
  } catch (e) {
    return { decision: decide({ error: serializeError(e) }), error: serializeError(e) };
  }
  const decision = decide({ inspect, pinned: pinnedSet(settings, hello), browser: BROWSER_FAMILY, policy: hello.policy });
  return { decision, inspect };
}

// The check page's and the popup's questions (lib/check_service.js): served networks only, an
// allow rule only after a successful inspect, the host's machine policy in the decision.
const checks = new CheckService({
  host,
  settings: () => ready,
  allowOrigin,
  trustPrinter,
  browser: BROWSER_FAMILY,
});

// Whether to offer "Apply without restarting" for a trust whose effect is `effect`: only in
// Chromium, and only where the host reports the system's flush helper (hello.chromium_flush).
async function flushOffered(effect) {
  if (IS_FIREFOX || effect !== 'after_restart') return false;
  try {
    return offerChromiumFlush({ isFirefox: IS_FIREFOX, effect, available: await host.chromiumFlushAvailable() });
  } catch {
    return false; // no host to ask: the restart words
  }
}

// The popup's flush for the printer tab `tabId`: once the browser accepts the printer again, the
// tab is reloaded and watched, and flushOutcome answers how that reload ended.
function flushForTab(tabId, url) {
  const target = parseTarget(url);
  if (!target) throw new HostError('bad_url', `Not a printer address: ${url}`);
  return flushes.start(`tab:${tabId}`, target.origin, () => reloadAndWatch(tabId));
}

// ---------------------------------------------------------------------------------------------
// Firefox: the pre-connection check in a blocking listener. Pinned, trusted and non-printer
// answers need no page at all (the navigation goes on as soon as the host has answered); a
// new printer goes to the check page.

if (IS_FIREFOX) {
  api.webRequest.onBeforeRequest.addListener(
    async (details) => {
      const settings = await ready;
      if (!settings.precheck || details.tabId < 0) return {};
      const target = parseTarget(details.url);
      if (!target || !settings.networks.includes(target.addressClass)) return {};
      if (await isAllowed(target.origin)) return {};
      const outcome = await checks.precheck(details.url);
      if (outcome.decision.action === 'pass' || outcome.decision.action === 'trust') return {};
      const page = api.runtime.getURL(dnr.CHECK_PAGE);
      return { redirectUrl: `${page}#${details.url}` };
    },
    { urls: ['https://*/*'], types: ['main_frame'] },
    ['blocking'],
  );
}

// ---------------------------------------------------------------------------------------------
// Odoo POS: held prints, the prompt tab, the relay (pos/pos_background.js and the lib/pos_* modules).

const pos = setUpPos({ api, host, ready: () => ready, inspectDecision, action, t });

// A request to a printer's ePOS endpoint failed (the reactive path, or the offer on a POS origin
// that is not configured yet).
function onPosRequestError(details) {
  return pos.onRequestError(details).catch((e) => console.warn('epos-trust: POS request error:', e));
}

// ---------------------------------------------------------------------------------------------
// Messages. Extension pages may ask anything; content scripts only the POS questions.

const PAGE_HANDLERS = {
  hello: () => host.hello(),
  settings: () => ready,
  inspect: (m) => checks.inspect(m.url),
  check: (m) => checks.check(m.url),
  precheck: (m) => checks.precheck(m.url),
  trust: (m) => checks.trust(m.url, m.sha256, m.beforeFirstContact),
  exportCert: (m) => checks.exportCert(m.url, m.sha256),
  untrust: async (m) => {
    const result = await host.untrust(m.sha256);
    for (const origin of m.origins ?? []) await forgetOrigin(origin);
    return result;
  },
  list: () => host.list(),
  allow: (m) => checks.allow(m.url),
  flushOffered: (m) => flushOffered(m.effect),
  flushChromium: (m) => flushForTab(m.tabId, m.url),
  flushOutcome: (m) => flushes.outcome(`tab:${m.tabId}`),
  tabState: (m) => tabState(m.tabId),
  ...pos.pageHandlers,
  clearTab: (m) => clearTab(m.tabId),
};

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  // Content scripts report the web page's URL; only the extension's own pages have its origin.
  const fromPage = (sender.url ?? '').startsWith(api.runtime.getURL(''));
  const pageHandler = fromPage ? PAGE_HANDLERS[message?.type] : undefined;
  const isPos = !fromPage && (message?.type === 'pos-print' || message?.type === 'pos-cancel');
  if (!pageHandler && !isPos) return false;
  Promise.resolve()
    .then(() => (pageHandler ? pageHandler(message) : pos.onPosMessage(message, sender)))
    .then(
      (value) => sendResponse({ ok: true, value }),
      (e) => sendResponse({ ok: false, error: serializeError(e) }),
    );
  return true;
});
