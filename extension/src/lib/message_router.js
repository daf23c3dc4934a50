// Who may ask the background what, and the answer's envelope ({ok, value} or {ok: false,
// error}). The extension's own pages may ask anything in the page handlers
// (lib/page_handlers.js); content scripts only the POS questions (lib/pos_background.js).

import { HostError } from './host_client.js';

// The error as a message can carry it: the host's code, or `internal` for anything else.
export function serializeError(e) {
  if (e instanceof HostError) return { code: e.code, message: e.message, details: e.details };
  return { code: 'internal', message: String(e?.message ?? e) };
}

const POS_TYPES = new Set(['pos-print', 'pos-cancel']);

// runtime: {id, getURL}; pageHandlers: {type: (message) => value}; onPosMessage(message, sender).
// Returns the runtime.onMessage listener.
export function messageRouter({ runtime, pageHandlers, onPosMessage }) {
  return (message, sender, sendResponse) => {
    if (sender.id !== runtime.id) return false;
    // Content scripts report the web page's URL; only the extension's own pages have its origin.
    const fromPage = (sender.url ?? '').startsWith(runtime.getURL(''));
    const type = message?.type;
    // Own properties only: a message typed "constructor" or "toString" names no handler.
    const pageHandler =
      fromPage && typeof type === 'string' && Object.hasOwn(pageHandlers, type) ? pageHandlers[type] : undefined;
    const isPos = !fromPage && POS_TYPES.has(type);
    if (!pageHandler && !isPos) return false;
    Promise.resolve()
      .then(() => (pageHandler ? pageHandler(message) : onPosMessage(message, sender)))
      .then(
        (value) => sendResponse({ ok: true, value }),
        (e) => sendResponse({ ok: false, error: serializeError(e) }),
      );
    return true;
  };
}
