// Chromium's pre-connection check, as the settings ask for it: the declarativeNetRequest session
// rules that redirect a navigation to a printer in the chosen networks to the check page, and
// network prediction off while they are in force. (Firefox checks in a blocking webRequest
// listener instead: lib/firefox_precheck.js.)

import * as dnr from './dnr_rules.js';

// api: {declarativeNetRequest, privacy, runtime} of Chromium; settings: the effective settings.
export async function syncPrecheckRules(api, settings) {
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
