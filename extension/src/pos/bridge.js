// The extension's side of the Odoo POS integration in the page (isolated world, top frame of a
// configured POS origin only). It carries the page hook's held prints (pos/page_hook.js) to the
// background and the answers back, and nothing else: the person decides on the extension's own
// prompt tab (lib/prompt_tabs.js), which no page can reach. The page learns only whether its print
// was answered: sent by the browser itself, relayed (the printer's reply) or failed.
//
// Hook -> bridge (DOM events on document, detail = JSON string):
//   epos-trust:hold   {id, url, method, body, contentType, afterDirectFailure?}
//                      afterDirectFailure: an http: print answered direct+retry failed; asked again
//   epos-trust:cancel {id}                      the page aborted it (not a timeout)
// Bridge -> hook:
//   epos-trust:ack    {id}                      the extension is here: keep holding
//   epos-trust:answer {id, outcome: 'direct'|'relay'|'failed', response?: {status, statusText,
//                      contentType, body}, retry?: true (direct: come back if the browser fails)}
// Bridge -> background (runtime.sendMessage): {type: 'pos-print', hold} -> {ok, value: answer};
//   {type: 'pos-cancel', id}.
(() => {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  if (window.top !== window) return; // top frame only (also registered so)

  const parse = (event) => {
    try {
      const detail = JSON.parse(typeof event.detail === 'string' ? event.detail : '');
      return detail && typeof detail === 'object' && Number.isInteger(detail.id) ? detail : null;
    } catch {
      return null;
    }
  };
  const emit = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail: JSON.stringify(detail) }));
  const seen = new Set();

  document.addEventListener('epos-trust:hold', (event) => {
    const hold = parse(event);
    if (!hold || seen.has(hold.id)) return;
    seen.add(hold.id);
    emit('epos-trust:ack', { id: hold.id });
    const request = {
      id: hold.id,
      url: String(hold.url ?? ''),
      method: String(hold.method ?? 'GET'),
      body: typeof hold.body === 'string' ? hold.body : '',
      contentType: typeof hold.contentType === 'string' ? hold.contentType : undefined,
      afterDirectFailure: hold.afterDirectFailure === true,
    };
    Promise.resolve(api.runtime.sendMessage({ type: 'pos-print', hold: request }))
      .then((reply) => (reply?.ok && reply.value?.outcome ? reply.value : { outcome: 'direct' }))
      // No background to ask (the extension was updated or disabled): as without the extension.
      .catch(() => ({ outcome: 'direct' }))
      .then((answer) => {
        seen.delete(hold.id);
        const out = { id: hold.id, outcome: answer.outcome };
        if (answer.outcome === 'relay') out.response = answer.response;
        if (answer.outcome === 'direct' && answer.retry === true) out.retry = true;
        emit('epos-trust:answer', out);
      });
  });

  document.addEventListener('epos-trust:cancel', (event) => {
    const cancel = parse(event);
    if (cancel && seen.has(cancel.id)) void api.runtime.sendMessage({ type: 'pos-cancel', id: cancel.id });
  });
})();
