// Reloads a tab and reports how the new navigation ended: 'secure' (it loaded: the certificate
// verified, since nobody clicked through a warning), 'rejected' (a certificate error again),
// 'failed' (another network error) or 'timeout'.
import { api } from '../lib/browser.js';
import { certErrorKind } from '../lib/signals.js';

export function watchNavigation(tabId, start, { timeoutMs = 10000 } = {}) {
  return new Promise((resolve) => {
    const finish = (result) => {
      clearTimeout(timer);
      api.webNavigation.onCompleted.removeListener(onCompleted);
      api.webNavigation.onErrorOccurred.removeListener(onError);
      resolve(result);
    };
    const onCompleted = (d) => {
      if (d.tabId === tabId && d.frameId === 0) finish('secure');
    };
    const onError = (d) => {
      if (d.tabId !== tabId || d.frameId !== 0) return;
      if (/ERR_ABORTED|NS_BINDING_ABORTED|2152398850/.test(d.error)) return; // superseded, not failed
      finish(certErrorKind(d.error) ? 'rejected' : 'failed');
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    api.webNavigation.onCompleted.addListener(onCompleted);
    api.webNavigation.onErrorOccurred.addListener(onError);
    Promise.resolve(start()).catch(() => finish('failed'));
  });
}

export function reloadAndWatch(tabId, options) {
  return watchNavigation(tabId, () => api.tabs.reload(tabId, { bypassCache: true }), options);
}
