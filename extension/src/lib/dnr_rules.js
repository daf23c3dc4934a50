// declarativeNetRequest session rules for Chromium's pre-connection check (docs/browser-behaviour.md §6): Chromium
// caches a rejected certificate for 30 minutes, so trust must be installed before its first TLS
// contact with a printer. A redirect rule sends main-frame https navigations to local IP literals
// to the extension's check page; an allow rule per origin lets the navigation through once the
// check has answered for this browser session.

// One redirect rule per address class, ids 1-5: Chromium compiles each regexFilter with RE2 under a
// 2 KB memory limit, which one rule for every class exceeds.
export const REDIRECT_RULE_IDS = Object.freeze([1, 2, 3, 4, 5]);
export const FIRST_ALLOW_RULE_ID = 1000;
export const CHECK_PAGE = '/check/check.html';

// An octet loosely ([0-9]{1,3}): the URL parser has already rejected 127.999.0.1, and the check
// page classifies the address exactly (address.js) before doing anything.
const N = '[0-9]{1,3}';

// RE2 alternatives (Chromium's regexFilter dialect) for the address classes of address.js.
const NETWORK_PATTERNS = Object.freeze({
  loopback: [`127\\.${N}\\.${N}\\.${N}`, '\\[::1\\]'],
  private: [`10\\.${N}\\.${N}\\.${N}`, `172\\.(1[6-9]|2[0-9]|3[01])\\.${N}\\.${N}`, `192\\.168\\.${N}\\.${N}`],
  link_local: [`169\\.254\\.${N}\\.${N}`, '\\[fe[89ab][0-9a-f]:[0-9a-f:.]*\\]'],
  ula: ['\\[f[cd][0-9a-f]{2}:[0-9a-f:.]*\\]'],
  cgnat: [`100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.${N}\\.${N}`],
});

const CLASS_ORDER = ['loopback', 'private', 'link_local', 'ula', 'cgnat'];

// The regexFilter matching https URLs to one address class.
export function localHttpsRegex(network) {
  const alternatives = NETWORK_PATTERNS[network];
  if (!alternatives) return null;
  return `^https://(${alternatives.join('|')})(:[0-9]+)?(/.*)?$`;
}

// The redirect rules for the chosen classes (possibly none).
export function redirectRules(networks) {
  return CLASS_ORDER.filter((n) => networks.includes(n)).map((network) => ({
    id: REDIRECT_RULE_IDS[CLASS_ORDER.indexOf(network)],
    priority: 1,
    action: {
      type: 'redirect',
      // The original URL travels in the fragment: nothing of it is sent anywhere.
      redirect: { regexSubstitution: `chrome-extension://EXTENSION_ID${CHECK_PAGE}#\\0` },
    },
    condition: {
      regexFilter: localHttpsRegex(network),
      resourceTypes: ['main_frame'],
      isUrlFilterCaseSensitive: false,
    },
  }));
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
