// Firefox caches a rejected certificate in its trust cache, so "install, then reload" fails after
// a failure. Loading and unloading any PKCS#11 module clears that cache (docs/browser-behaviour.md §6, 3-8 ms): the
// host ships a no-op module with a native manifest of type "pkcs11" that names this extension.

import { api, IS_FIREFOX } from './browser.js';

// Returns true when the cache was flushed, false when this browser or host offers no module.
export async function flushFirefoxTrustCache(moduleName) {
  if (!IS_FIREFOX || !moduleName || !api.pkcs11) return false;
  try {
    if (await api.pkcs11.isModuleInstalled(moduleName)) {
      await api.pkcs11.uninstallModule(moduleName);
    }
    await api.pkcs11.installModule(moduleName);
    await api.pkcs11.uninstallModule(moduleName);
    return true;
  } catch (e) {
    console.warn('epos-trust: Firefox trust cache flush failed:', e);
    return false;
  }
}
