// Runs in the Odoo POS page's own world at document_start (world "MAIN"), before the POS code.
// It wraps fetch and XMLHttpRequest so that a request to a printer's ePOS endpoint
// (https://<printer>/cgi-bin/epos/service.cgi) is held until the extension has made sure the
// printer is trusted: while held, the browser opens no connection to the printer, so it never
// caches a rejection of its certificate (FACTS.md 6). Odoo prints with fetch, Epson's SDK with XHR.
// It talks to the extension's bridge (pos/bridge.js, isolated world) with DOM events carrying JSON.
(() => {
  'use strict';
  const MARK = '__eposTrustHook';
  if (window[MARK]) return;
  Object.defineProperty(window, MARK, { value: true });

  const SERVICE_PATH = '/cgi-bin/epos/service.cgi';
  // If no bridge acknowledges a hold in this time (the extension is off), the request goes on.
  const ACK_TIMEOUT_MS = 1500;
  const originalFetch = window.fetch;
  const originalOpen = XMLHttpRequest.prototype.open;
  const originalSend = XMLHttpRequest.prototype.send;
  const gates = new Map();
  const waiting = new Map();
  let nextId = 1;

  function printerOrigin(input) {
    try {
      const raw = input instanceof Request ? input.url : String(input);
      const url = new URL(raw, location.href);
      return url.protocol === 'https:' && url.pathname === SERVICE_PATH ? url.origin : null;
    } catch {
      return null;
    }
  }

  document.addEventListener('epos-trust:ack', (event) => {
    const { id } = JSON.parse(event.detail);
    const entry = waiting.get(id);
    if (entry) clearTimeout(entry.ackTimer);
  });
  document.addEventListener('epos-trust:release', (event) => {
    const { id } = JSON.parse(event.detail);
    const entry = waiting.get(id);
    if (!entry) return;
    waiting.delete(id);
    clearTimeout(entry.ackTimer);
    entry.resolve();
  });

  function ask(printer) {
    return new Promise((resolve) => {
      const id = nextId++;
      const ackTimer = setTimeout(() => {
        waiting.delete(id);
        resolve();
      }, ACK_TIMEOUT_MS);
      waiting.set(id, { resolve, ackTimer });
      document.dispatchEvent(new CustomEvent('epos-trust:hold', { detail: JSON.stringify({ id, printer }) }));
    });
  }

  // One question per printer and page: later prints to it wait for the same answer.
  function gate(printer) {
    if (!gates.has(printer)) gates.set(printer, ask(printer));
    return gates.get(printer);
  }

  window.fetch = function fetch(input, init) {
    const printer = printerOrigin(input);
    if (!printer) return originalFetch.apply(this, arguments);
    return gate(printer).then(() => originalFetch.call(this, input, init));
  };

  const urls = new WeakMap();
  XMLHttpRequest.prototype.open = function open(method, url) {
    urls.set(this, printerOrigin(url));
    return originalOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function send(body) {
    const printer = urls.get(this);
    if (!printer) return originalSend.apply(this, arguments);
    gate(printer).then(() => originalSend.call(this, body));
    return undefined;
  };
})();
