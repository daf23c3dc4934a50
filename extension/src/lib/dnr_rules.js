// declarativeNetRequest session rules for Chromium's pre-connection check (FACTS.md 6): Chromium
// caches a rejected certificate for 30 minutes, so trust must be installed before its first TLS
// contact with a printer. A redirect rule sends main-frame https navigations to local IP literals
// to the extension's check page; an allow rule per origin lets the navigation through once the
// check has answered for this browser session.

export const REDIRECT_RULE_ID = 1;
export const FIRST_ALLOW_RULE_ID = 1000;
export const CHECK_PAGE = '/check/check.html';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

// RE2 alternatives (Chromium's regexFilter dialect) for the address classes of address.js.
const NETWORK_PATTERNS = Object.freeze({
  loopback: [`127\\.${OCTET}\\.${OCTET}\\.${OCTET}`, '\\[::1\\]'],
  private: [
    `10\\.${OCTET}\\.${OCTET}\\.${OCTET}`,
    `172\\.(1[6-9]|2[0-9]|3[01])\\.${OCTET}\\.${OCTET}`,
    `192\\.168\\.${OCTET}\\.${OCTET}`,
  ],
  link_local: [`169\\.254\\.${OCTET}\\.${OCTET}`, '\\[fe[89ab][0-9a-f]:[0-9a-f:.]*\\]'],
  ula: ['\\[f[cd][0-9a-f]{2}:[0-9a-f:.]*\\]'],
  cgnat: [`100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.${OCTET}\\.${OCTET}`],
});

// The regexFilter matching https URLs to the given address classes; null when none is chosen.
export function localHttpsRegex(networks) {
  const alternatives = networks.flatMap((n) => NETWORK_PATTERNS[n] ?? []);
  if (alternatives.length === 0) return null;
  return `^https://(${alternatives.join('|')})(:[0-9]+)?(/.*)?$`;
}

export function redirectRule(networks) {
  const regexFilter = localHttpsRegex(networks);
  if (regexFilter === null) return null;
  return {
    id: REDIRECT_RULE_ID,
    priority: 1,
    action: {
      type: 'redirect',
      // The original URL travels in the fragment: nothing of it is sent anywhere.
      redirect: { regexSubstitution: `chrome-extension://EXTENSION_ID${CHECK_PAGE}#\\0` },
    },
    condition: { regexFilter, resourceTypes: ['main_frame'], isUrlFilterCaseSensitive: false },
  };
}

export function withExtensionId(rule, extensionId) {
  const substitution = rule.action.redirect.regexSubstitution.replace('EXTENSION_ID', extensionId);
  return { ...rule, action: { ...rule.action, redirect: { regexSubstitution: substitution } } };
}

// An allow rule (higher priority than the redirect) for one origin such as https://192.168.1.25.
export function allowRule(id, origin) {
  return {
    id,
    priority: 2,
    action: { type: 'allow' },
    condition: { urlFilter: `|${origin}/`, resourceTypes: ['main_frame'] },
  };
}

// The origin an allow rule lets through, or null for other rules.
export function allowedOrigin(rule) {
  if (rule.action?.type !== 'allow') return null;
  const match = /^\|(.*)\/$/.exec(rule.condition?.urlFilter ?? '');
  return match ? match[1] : null;
}

export function nextAllowRuleId(rules) {
  const ids = rules.map((r) => r.id).filter((id) => id >= FIRST_ALLOW_RULE_ID);
  return ids.length === 0 ? FIRST_ALLOW_RULE_ID : Math.max(...ids) + 1;
}
