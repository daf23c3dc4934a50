// Firefox's pre-connection check, in a blocking webRequest.onBeforeRequest listener (Chromium
// redirects with declarativeNetRequest instead: lib/precheck_rules.js). Firefox holds the
// navigation until the listener answers (docs/design.md "The extension's parts"): pinned, trusted
// and non-printer answers need no page at all (the navigation goes on as soon as the host has
// answered); a new printer goes to the check page.

import { parseTarget } from './address.js';

// settings: () => Promise<effective settings>; isAllowed(origin) (lib/session_allow.js);
// precheck(url): CheckService.precheck (lib/check_service.js); checkPageUrl: the check page's
// full URL. Returns the listener.
export function firefoxPrecheck({ settings, isAllowed, precheck, checkPageUrl }) {
  return async (details) => {
    const effective = await settings();
    if (!effective.precheck || details.tabId < 0) return {};
    const target = parseTarget(details.url);
    if (!target || !effective.networks.includes(target.addressClass)) return {};
    if (await isAllowed(target.origin)) return {};
    const outcome = await precheck(details.url);
    if (outcome.decision.action === 'pass' || outcome.decision.action === 'trust') return {};
    return { redirectUrl: `${checkPageUrl}#${details.url}` };
  };
}
