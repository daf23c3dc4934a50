// The background (Chromium service worker, Firefox event page): detects certificate warnings on
// local printers, runs the pre-connection check, and is the one place that talks to the host.
// This file only composes: each job is a module of lib/ that takes the browser API it uses as a
// parameter (and is unit-tested with a fake of it); here they get the real one. Every listener is
// registered synchronously in this first turn of the script, never after an await: a service
// worker (or event page) woken for an event gets only the listeners registered by then.

import { api, BROWSER_FAMILY, IS_FIREFOX, t } from './lib/browser.js';
import { CertDetection } from './lib/cert_detection.js';
import { CheckService } from './lib/check_service.js';
import { ChromiumFlushes, probeSecure } from './lib/chromium_flush.js';
import { CHECK_PAGE } from './lib/dnr_rules.js';
import { firefoxPrecheck } from './lib/firefox_precheck.js';
import { HostClient } from './lib/host_client.js';
import { messageRouter } from './lib/message_router.js';
import { pageHandlers } from './lib/page_handlers.js';
import { setUpPos } from './lib/pos_background.js';
import { syncPosScripts } from './lib/pos_scripts.js';
import { syncPrecheckRules } from './lib/precheck_rules.js';
import { printerDecision } from './lib/printer_decision.js';
import { allowOrigin, forgetOrigin, isAllowed } from './lib/session_allow.js';
import { readLocal, readManaged } from './lib/settings_store.js';
import { SettingsSync } from './lib/settings_sync.js';
import { TabFlush } from './lib/tab_flush.js';
import { TabMarks } from './lib/tab_marks.js';
import { trustPrinter } from './lib/trust_flow.js';
import { reloadAndWatch } from './ui/watch_load.js';

const host = new HostClient(api.runtime);
const action = api.action ?? api.browserAction;

// Settings: applied at start, on install, browser start and every change of the person's or the
// managed layer. Firefox needs no redirect rules (its check is the blocking listener below).
const sync = new SettingsSync({
  readLocal,
  readManaged,
  appliers: [
    ...(IS_FIREFOX ? [] : [(settings) => syncPrecheckRules(api, settings)]),
    (settings) => syncPosScripts(api.scripting, settings),
  ],
});
const settings = () => sync.current();
sync.start();
const reapply = () => void sync.reapply();
api.runtime.onInstalled.addListener(reapply);
api.runtime.onStartup?.addListener(reapply);
api.storage.onChanged.addListener((changes, area) => sync.onStorageChanged(changes, area));

// The check page's and the popup's questions: served networks only, an allow rule only after a
// successful inspect, the host's machine policy in the decision.
const checks = new CheckService({ host, settings, allowOrigin, trustPrinter, browser: BROWSER_FAMILY });

// Odoo POS: held prints, the prompt tab, the relay. setUpPos registers its own listeners
// (runtime.onConnect, tabs.onRemoved), synchronously, here.
const inspectDecision = printerDecision({ host, settings, browser: BROWSER_FAMILY });
const pos = setUpPos({ api, host, ready: settings, inspectDecision, action, t });
// A request to a printer's ePOS endpoint failed (the reactive path, or the offer on a POS origin
// that is not configured yet).
const onPosRequestError = (details) =>
  pos.onRequestError(details).catch((e) => console.warn('epos-trust: POS request error:', e));

// Detection (docs/browser-behaviour.md §3): Chromium reports the error to webRequest first;
// Firefox's webRequest error is a localized sentence, so there webNavigation (with "Error code
// <nsresult>") is the signal, and webRequest only feeds the POS.
const marks = new TabMarks({ action, session: api.storage.session, t });
const detection = new CertDetection({ settings, marks, onPosRequestError });
api.webNavigation.onErrorOccurred.addListener((d) => void detection.onMainFrameError(d));
if (!IS_FIREFOX) {
  api.webRequest.onErrorOccurred.addListener((d) => void detection.onChromiumRequestError(d), {
    urls: ['https://*/*'],
    types: ['main_frame', 'xmlhttprequest', 'other'],
  });
} else {
  api.webRequest.onErrorOccurred.addListener((d) => void onPosRequestError(d), {
    urls: ['https://*/*'],
    types: ['xmlhttprequest', 'other'],
  });
}
api.webNavigation.onCompleted.addListener((d) => void detection.onNavigationCompleted(d));
api.tabs.onRemoved.addListener((tabId) => void marks.forget(tabId));
api.tabs.onUpdated.addListener((tabId, change, tab) => marks.onTabUpdated(tabId, change, tab));

// Firefox: the pre-connection check in a blocking listener.
if (IS_FIREFOX) {
  api.webRequest.onBeforeRequest.addListener(
    firefoxPrecheck({ settings, isAllowed, precheck: (url) => checks.precheck(url), checkPageUrl: api.runtime.getURL(CHECK_PAGE) }),
    { urls: ['https://*/*'], types: ['main_frame'] },
    ['blocking'],
  );
}

// Chromium's root-side flush of a printer tab (docs/browser-behaviour.md §6).
const flushes = new ChromiumFlushes({ flush: () => host.flushChromium(), isSecure: (origin) => probeSecure(origin) });
const flush = new TabFlush({ host, flushes, isFirefox: IS_FIREFOX, reload: reloadAndWatch });

// Messages: extension pages may ask anything; content scripts only the POS questions.
api.runtime.onMessage.addListener(
  messageRouter({
    runtime: api.runtime,
    pageHandlers: pageHandlers({
      host,
      settings,
      checks,
      forgetOrigin,
      flush,
      marks,
      posHandlers: pos.pageHandlers,
    }),
    onPosMessage: (message, sender) => pos.onPosMessage(message, sender),
  }),
);
