// The two manifests built from the one source tree: Chromium family (MV3, service worker,
// declarativeNetRequest for the pre-connection check) and Firefox (MV2 event page: blocking
// webRequest for the same check and the pkcs11 API for the trust-cache flush; docs/browser-behaviour.md §6).

// Fixed Chromium extension ID fmkalmmejklplbcdonjleedaiepfagbf: the public key only (docs/browser-behaviour.md §2);
// the host manifests in manifests/ name this ID.
export const CHROME_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvYSghqqbNmSL3MuYojigTcFvgJhiUWbV5CaiB6JdRv5D8vAS8bS27Jg' +
  'nCywm0r2PR1KW45jVw7609D+k4OIVz0YFcxIimr4PEUWOdz3xwV/cNmZDWUsTfBROJ7AIACvEjh95ekBtOGWwqLWtrfNKGH49i5' +
  'OcXtbNJ3mss4sBB7eZG7Gix2H3tSKzzfJFde1tljALEob5DNJYy/WsbmPM211CLmWjvvmfVFnLvhdmiZgRWJjgy3Z5/qOAJkE73g' +
  'PIIikTRoxZGrQLnrZk3y8VIa6ulTwIpwE4v/iwTmvNQ15NM8imv20WU/cCJuUd14dRwOsKCQXZmgwqehR2FX0kowIDAQAB';
export const CHROME_ID = 'fmkalmmejklplbcdonjleedaiepfagbf';
export const FIREFOX_ID = 'epos-trust@epos-trust.org';

// Extension pages decide about trust, so no web page may frame them (clickjacking): frame-ancestors
// 'none' in both browsers (measured: Chromium 156 accepts it in content_security_policy and shows
// "refused to connect" in a framing page; Firefox 153 shows its cspBlocked error page).
export const EXTENSION_PAGES_CSP = "script-src 'self'; object-src 'self'; frame-ancestors 'none'";

// The check page is the target of the pre-connection redirect, so it must be web-accessible
// (measured, docs/browser-behaviour.md §6): Chromium's declarativeNetRequest redirect of a
// navigation started by a web page (a link to the printer) is blocked (ERR_BLOCKED_BY_CLIENT)
// without it, though one typed in the address bar is not; Firefox's webRequest redirectUrl to a
// moz-extension:// page not listed ends at about:blank. The initiator can be any website, so the
// matches cannot be narrower; use_dynamic_url broke the address-bar case. Nothing else is listed.
export const CHECK_PAGE_RESOURCE = 'check/check.html';

const ICONS = { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png', 48: 'icons/icon-48.png', 128: 'icons/icon-128.png' };
// No static content scripts: the POS page hook and bridge are registered at run time for the exact
// POS origins the person or the managed policy named (lib/pos_scripts.js), top frame
// only. A wildcard such as *.odoo.com would let anyone's Odoo Online tenant raise a question.

function common(version) {
  return {
    name: '__MSG_extName__',
    short_name: 'epos-trust',
    description: '__MSG_extDescription__',
    version,
    default_locale: 'en',
    icons: ICONS,
    options_ui: { page: 'options/options.html', open_in_tab: true },
  };
}

export function chromeManifest(version) {
  return {
    manifest_version: 3,
    ...common(version),
    key: CHROME_KEY,
    minimum_chrome_version: '116',
    action: { default_popup: 'popup/popup.html', default_title: '__MSG_actionTitle__', default_icon: ICONS },
    background: { service_worker: 'background.js', type: 'module' },
    permissions: [
      'nativeMessaging',
      'webRequest',
      'webNavigation',
      'declarativeNetRequest',
      'privacy',
      'storage',
      'scripting',
    ],
    host_permissions: ['https://*/*'],
    storage: { managed_schema: 'managed_schema.json' },
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    web_accessible_resources: [{ resources: [CHECK_PAGE_RESOURCE], matches: ['https://*/*'] }],
  };
}

export function firefoxManifest(version) {
  return {
    manifest_version: 2,
    ...common(version),
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_ID,
        strict_min_version: '128.0',
        data_collection_permissions: { required: ['none'] },
      },
    },
    browser_action: { default_popup: 'popup/popup.html', default_title: '__MSG_actionTitle__', default_icon: ICONS },
    background: { scripts: ['background.js'], type: 'module', persistent: false },
    permissions: [
      'nativeMessaging',
      'webRequest',
      'webRequestBlocking',
      'webNavigation',
      'storage',
      'scripting',
      'pkcs11',
      'https://*/*',
    ],
    content_security_policy: EXTENSION_PAGES_CSP,
    web_accessible_resources: [CHECK_PAGE_RESOURCE],
  };
}

export function manifestFor(target, version) {
  if (target === 'chrome') return chromeManifest(version);
  if (target === 'firefox') return firefoxManifest(version);
  throw new Error(`unknown target ${target}`);
}
