// The background's Odoo POS wiring: the flow (lib/pos_flow.js), who may ask (lib/pos_gate.js), the
// prompt tabs (lib/prompt_tabs.js), the relay grants, and the browser events that feed them. The
// logic lives in those modules; this file connects them to the browser API and the host.

import { parseTarget } from './address.js';
import { posOriginOf, printerOf } from './pos_gate.js';
import { PosFlow } from './pos_flow.js';
import { PROMPT_PAGE, PromptTabs } from './prompt_tabs.js';
import { RelayGrants } from './relay_grants.js';
import { allOdooOrigins, normalizeOrigin } from './settings.js';
import { certErrorKind, isEposServiceUrl, isLocalNetworkBlock } from './signals.js';
import { trustPrinter } from './trust_flow.js';

const BODY_LIMIT = 512 * 1024; // the host's relay limit (docs/protocol.md)
const OFFER_KEY = (tabId) => `posOffer:${tabId}`;

// A held print as the bridge sent it, or null when malformed (the page wrote it).
export function holdOf(message) {
  const h = message?.hold;
  if (!h || typeof h !== 'object') return null;
  if (!Number.isInteger(h.id) || typeof h.url !== 'string' || typeof h.method !== 'string') return null;
  if (h.body !== undefined && typeof h.body !== 'string') return null;
  if ((h.body ?? '').length > BODY_LIMIT) return null;
  const contentType = typeof h.contentType === 'string' ? h.contentType.slice(0, 200) : undefined;
  const afterDirectFailure = h.afterDirectFailure === true;
  return { id: h.id, url: h.url, method: h.method.toUpperCase(), body: h.body ?? '', contentType, afterDirectFailure };
}

// The origin a webRequest event's request came from (Chromium: initiator; Firefox: the document).
function requestOrigin(details) {
  if (typeof details.initiator === 'string') return details.initiator;
  try {
    return new URL(details.documentUrl ?? details.originUrl).origin;
  } catch {
    return null;
  }
}

export function setUpPos({ api, host, ready, inspectDecision, action, t }) {
  const isLocal = async (printer) => {
    const target = parseTarget(printer);
    return Boolean(target) && (await ready()).networks.includes(target.addressClass);
  };
  const prompts = new PromptTabs({ tabs: api.tabs, pageUrl: (p) => api.runtime.getURL(p) });
  const flow = new PosFlow({
    check: (printer) => inspectDecision(printer),
    trust: (printer, sha256, origin) => trustPrinter(host, printer, sha256, { beforeFirstContact: true, origin }),
    relay: (request) => host.relay(request),
    grants: new RelayGrants(api.storage.session),
    prompts,
    isLocal,
  });

  const configured = async () => allOdooOrigins(await ready());

  // Content-script messages: only the top frame of a configured origin is answered; anything
  // else is told to go on as without the extension (no question, no relay).
  async function onPosMessage(message, sender) {
    const origin = posOriginOf(sender, await configured());
    if (message?.type === 'pos-print') {
      const hold = holdOf(message);
      if (!origin || !hold) return { outcome: 'direct' };
      return flow.print(sender.tab, origin, hold);
    }
    if (message?.type === 'pos-cancel') {
      if (origin && Number.isInteger(message.id)) flow.cancel(sender.tab.id, message.id);
      return { ok: true };
    }
    return undefined;
  }

  // The prompt page's port: it watches its question, answers it, and closing it is a decline.
  function onPromptConnect(port) {
    if (port.name !== 'epos-prompt') return;
    if (!(port.sender?.url ?? '').startsWith(api.runtime.getURL(PROMPT_PAGE))) {
      port.disconnect();
      return;
    }
    let questionId = null;
    let unwatch = () => {};
    port.onMessage.addListener((m) => {
      if (m?.type === 'watch' && questionId === null && typeof m.id === 'string') {
        questionId = m.id;
        const model = flow.model(questionId);
        port.postMessage({ type: 'model', model });
        unwatch = flow.watch(questionId, (next) => port.postMessage({ type: 'model', model: next }));
      } else if (m?.type === 'answer' && questionId !== null) {
        void flow.answer(questionId, m.answer === 'trust' ? 'trust' : 'decline');
      } else if (m?.type === 'close' && questionId !== null) {
        void flow.dismiss(questionId);
      }
    });
    port.onDisconnect.addListener(() => {
      unwatch();
      if (questionId !== null) flow.promptGone(questionId);
    });
  }

  // A print to a local ePOS printer failed in a tab (FACTS: the hook could not hold it, or the
  // browser went direct and Local Network Access or the certificate stopped it). From a configured
  // POS origin: the same question (reactive). From any other top-level page: a badge, and the
  // popup offers to use epos-trust on that POS (popup/pos_offer.js).
  async function onRequestError(details) {
    if (details.tabId < 0 || !isEposServiceUrl(details.url)) return;
    const printer = printerOf(details.url);
    if (!printer || !(await isLocal(printer.origin))) return;
    const chromiumSays = typeof details.initiator === 'string';
    const meaningful = certErrorKind(details.error) !== null || isLocalNetworkBlock(details.error) || !chromiumSays;
    if (!meaningful) return;
    const origin = requestOrigin(details);
    if (!origin) return;
    if ((await configured()).includes(origin)) {
      const tab = await api.tabs.get(details.tabId).catch(() => null);
      const cause = isLocalNetworkBlock(details.error) ? 'lna' : 'certificate';
      if (tab && new URL(tab.url ?? 'about:blank').origin === origin) await flow.reactive(tab, origin, details.url, cause);
      return;
    }
    if (!normalizeOrigin(origin)) return;
    const tab = await api.tabs.get(details.tabId).catch(() => null);
    if (!tab || new URL(tab.url ?? 'about:blank').origin !== origin) return; // a frame's print: no offer
    await api.storage.session.set({ [OFFER_KEY(details.tabId)]: { origin, printer: printer.origin } });
    await Promise.allSettled([
      action.setBadgeText({ tabId: details.tabId, text: '+' }),
      action.setBadgeBackgroundColor({ tabId: details.tabId, color: '#714b67' }),
      action.setTitle({ tabId: details.tabId, title: t('posOfferBadge') }),
    ]);
  }

  async function offerFor(tabId) {
    const stored = await api.storage.session.get(OFFER_KEY(tabId));
    const offer = stored[OFFER_KEY(tabId)] ?? null;
    if (!offer || (await configured()).includes(offer.origin)) return null;
    return offer;
  }

  // The person accepted the popup's offer: the origin joins their settings, the POS scripts are
  // registered for it, and the tab reloads so that the next print is held.
  async function acceptOffer(tabId) {
    const offer = await offerFor(tabId);
    if (!offer) return { added: false };
    const local = await api.storage.local.get('odooOrigins');
    const origins = Array.isArray(local.odooOrigins) ? local.odooOrigins : [];
    await api.storage.local.set({ odooOrigins: [...new Set([...origins, offer.origin])] });
    const pattern = `https://${new URL(offer.origin).hostname}/*`;
    for (let i = 0; i < 60; i += 1) {
      const scripts = await api.scripting.getRegisteredContentScripts({ ids: ['pos-hook'] });
      if (scripts.some((s) => s.matches.includes(pattern)) && (await configured()).includes(offer.origin)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await api.storage.session.remove(OFFER_KEY(tabId));
    await Promise.allSettled([action.setBadgeText({ tabId, text: '' }), api.tabs.reload(tabId)]);
    return { added: true, origin: offer.origin };
  }

  api.runtime.onConnect.addListener(onPromptConnect);
  api.tabs.onRemoved.addListener((tabId) => {
    flow.tabGone(tabId);
    void api.storage.session.remove(OFFER_KEY(tabId));
  });

  return {
    flow,
    onRequestError,
    onPosMessage,
    pageHandlers: {
      posOffer: (m) => offerFor(m.tabId),
      posOfferAccept: (m) => acceptOffer(m.tabId),
    },
  };
}
