// The person's decision is made in an extension page of its own tab, which no web page can reach,
// style or script (docs/design.md). It opens as a new ACTIVE tab in the POS tab's own window,
// right after it: a kiosk or full-screen window stays in its mode (a new window would not), and
// the person sees it at once. After the outcome the POS tab is made active again.
// `tabs` is the injected browser tabs API (tabs.create / update / remove); no `tabs` permission is
// needed for these calls.

export const PROMPT_PAGE = 'prompt/prompt.html';

export class PromptTabs {
  constructor({ tabs, pageUrl }) {
    this.tabs = tabs;
    this.pageUrl = pageUrl; // (path) => the extension URL of path (runtime.getURL)
    this.byTab = new Map(); // prompt tab id -> question id
  }

  async open(questionId, posTab) {
    const tab = await this.tabs.create({
      url: `${this.pageUrl(PROMPT_PAGE)}#${encodeURIComponent(questionId)}`,
      active: true,
      windowId: posTab.windowId,
      index: posTab.index + 1,
      openerTabId: posTab.id,
    });
    this.byTab.set(tab.id, questionId);
    return tab.id;
  }

  // Closes the prompt tab (if still open) and makes the POS tab active again.
  async close(promptTabId, posTabId) {
    this.byTab.delete(promptTabId);
    await Promise.allSettled([this.tabs.update(posTabId, { active: true })]);
    await Promise.allSettled([this.tabs.remove(promptTabId)]);
  }

  questionOf(promptTabId) {
    return this.byTab.get(promptTabId) ?? null;
  }

  forget(promptTabId) {
    this.byTab.delete(promptTabId);
  }
}
