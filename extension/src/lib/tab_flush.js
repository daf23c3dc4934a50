// The popup's "Apply without restarting" for a printer tab in Chromium: whether to offer it, and
// the flush itself, run by the background (lib/chromium_flush.js) so that it completes when the
// popup that asked closes.

import { parseTarget } from './address.js';
import { offerChromiumFlush } from './chromium_flush.js';
import { HostError } from './host_client.js';

const KEY = (tabId) => `tab:${tabId}`;

export class TabFlush {
  // host: {chromiumFlushAvailable()}; flushes: a ChromiumFlushes; isFirefox; reload(tabId): the
  // tab's reload, watched (ui/watch_load.js reloadAndWatch), resolving how it ended.
  constructor({ host, flushes, isFirefox, reload }) {
    this.host = host;
    this.flushes = flushes;
    this.isFirefox = isFirefox;
    this.reload = reload;
  }

  // Whether to offer it for a trust whose effect is `effect`: only in Chromium, and only where
  // the host reports the system's flush helper (hello.chromium_flush).
  async offered(effect) {
    if (this.isFirefox || effect !== 'after_restart') return false;
    try {
      return offerChromiumFlush({ isFirefox: this.isFirefox, effect, available: await this.host.chromiumFlushAvailable() });
    } catch {
      return false; // no host to ask: the restart words
    }
  }

  // The flush for the printer tab `tabId`: once the browser accepts the printer again, the tab is
  // reloaded and watched, and outcome() answers how that reload ended.
  start(tabId, url) {
    const target = parseTarget(url);
    if (!target) throw new HostError('bad_url', `Not a printer address: ${url}`);
    return this.flushes.start(KEY(tabId), target.origin, () => this.reload(tabId));
  }

  outcome(tabId) {
    return this.flushes.outcome(KEY(tabId));
  }
}
