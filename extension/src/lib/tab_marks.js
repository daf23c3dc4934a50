// A tab marked as showing a certificate warning of a local printer: the mark in storage.session
// (the popup reads it: tabState), and the toolbar badge and title of that tab.

const TAB_KEY = (tabId) => `tab:${tabId}`;

export class TabMarks {
  // action: the toolbar button API (action, or Firefox MV2's browserAction); session:
  // storage.session; t: the _locales lookup (lib/browser.js); now: the clock of the mark.
  constructor({ action, session, t, now = Date.now }) {
    this.action = action;
    this.session = session;
    this.t = t;
    this.now = now;
  }

  async mark(tabId, url, kind) {
    await this.session.set({ [TAB_KEY(tabId)]: { url, kind, at: this.now() } });
    await Promise.allSettled([
      this.action.setBadgeText({ tabId, text: '!' }),
      this.action.setBadgeBackgroundColor({ tabId, color: '#b3261e' }),
      this.action.setTitle({ tabId, title: this.t('badgeTitle') }),
    ]);
  }

  async clear(tabId) {
    await this.session.remove(TAB_KEY(tabId));
    await Promise.allSettled([
      this.action.setBadgeText({ tabId, text: '' }),
      this.action.setTitle({ tabId, title: this.t('actionTitle') }),
    ]);
  }

  // {url, kind, at} of the tab's mark, or null.
  async state(tabId) {
    const stored = await this.session.get(TAB_KEY(tabId));
    return stored[TAB_KEY(tabId)] ?? null;
  }

  // The tab closed: its mark goes (the browser drops its badge itself).
  forget(tabId) {
    return this.session.remove(TAB_KEY(tabId));
  }

  // tabs.onUpdated: Firefox resets a tab's badge when its error page loads, after the error
  // event, so a marked tab that finished loading the same URL gets its badge again.
  async onTabUpdated(tabId, change, tab) {
    if (change.status !== 'complete') return;
    const state = await this.state(tabId);
    if (state && state.url === tab.url) await this.mark(tabId, state.url, state.kind);
  }
}
