// What the extension's own pages (popup, check page, settings, prompt) may ask the background,
// by message type: the host's calls, the check service's questions, the Chromium flush of a tab,
// the tab's warning mark, and the POS offer's handlers.

// host: HostClient; settings: () => Promise<effective settings>; checks: CheckService;
// forgetOrigin(origin) (lib/session_allow.js); flush: TabFlush; marks: TabMarks; posHandlers:
// pos_background.js's pageHandlers.
export function pageHandlers({ host, settings, checks, forgetOrigin, flush, marks, posHandlers }) {
  return {
    hello: () => host.hello(),
    settings: () => settings(),
    inspect: (m) => checks.inspect(m.url),
    check: (m) => checks.check(m.url),
    precheck: (m) => checks.precheck(m.url),
    trust: (m) => checks.trust(m.url, m.sha256, m.beforeFirstContact),
    exportCert: (m) => checks.exportCert(m.url, m.sha256),
    // Untrusting forgets the session's "go straight through" for the printer's origins too.
    untrust: async (m) => {
      const result = await host.untrust(m.sha256);
      for (const origin of m.origins ?? []) await forgetOrigin(origin);
      return result;
    },
    list: () => host.list(),
    allow: (m) => checks.allow(m.url),
    flushOffered: (m) => flush.offered(m.effect),
    flushChromium: (m) => flush.start(m.tabId, m.url),
    flushOutcome: (m) => flush.outcome(m.tabId),
    tabState: (m) => marks.state(m.tabId),
    ...posHandlers,
    clearTab: (m) => marks.clear(m.tabId),
  };
}
