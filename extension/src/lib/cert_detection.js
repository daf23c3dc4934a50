// Detection: a main-frame certificate error on a printer in the chosen networks marks the tab
// (lib/tab_marks.js); a finished main-frame navigation clears it (docs/browser-behaviour.md §3).

import { parseTarget } from './address.js';
import { certErrorKind } from './signals.js';

export class CertDetection {
  // settings: () => Promise<effective settings>; marks: a TabMarks; onPosRequestError(details):
  // where a failed subresource request goes (lib/pos_background.js).
  constructor({ settings, marks, onPosRequestError }) {
    this.settings = settings;
    this.marks = marks;
    this.onPosRequestError = onPosRequestError;
  }

  // webNavigation.onErrorOccurred, and Chromium's webRequest.onErrorOccurred for a main frame.
  async onMainFrameError(details) {
    if (details.tabId < 0 || (details.frameId ?? 0) !== 0) return;
    const kind = certErrorKind(details.error);
    if (!kind) return;
    const settings = await this.settings();
    const target = parseTarget(details.url);
    if (!target || !settings.networks.includes(target.addressClass)) return;
    await this.marks.mark(details.tabId, details.url, kind);
  }

  // Chromium's webRequest.onErrorOccurred (main frames, XHR, other): Chromium reports a
  // navigation's error there first (+17-39 ms, docs/browser-behaviour.md §3); everything else is
  // a POS print that may have failed.
  onChromiumRequestError(details) {
    if (details.type === 'main_frame') return this.onMainFrameError(details);
    return this.onPosRequestError(details);
  }

  // webNavigation.onCompleted: a main frame that loaded shows no warning.
  onNavigationCompleted(details) {
    if (details.frameId === 0) return this.marks.clear(details.tabId);
    return undefined;
  }
}
