// One name for the WebExtension API in both browsers. Chromium's MV3 `chrome.*` returns promises
// for every call used here; Firefox has `browser.*`.
export const api = globalThis.browser ?? globalThis.chrome;

// runtime.getBrowserInfo exists only in Firefox.
export const IS_FIREFOX = typeof globalThis.browser?.runtime?.getBrowserInfo === 'function';

// The key of the host's inspect.verdict that speaks for this browser.
export const BROWSER_FAMILY = IS_FIREFOX ? 'firefox' : 'chrome';

export function t(key, substitutions) {
  return api.i18n.getMessage(key, substitutions) || key;
}
