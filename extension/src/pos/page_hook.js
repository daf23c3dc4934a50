// Runs in the Odoo POS page's own world at document_start (world "MAIN"), before the POS code, in
// the top frame of a configured POS origin only. It wraps fetch and XMLHttpRequest so that a
// request to a printer's ePOS endpoint (http(s)://<printer>/cgi-bin/epos/service.cgi) is held: no
// connection is opened, so the browser never caches a rejection of the printer's certificate
// (docs/browser-behaviour.md §6). The extension answers each held request (pos/bridge.js):
//   direct: the browser sends it itself, unchanged (not a printer, nothing to do);
//   relay:  the host sent it to the trusted printer; the printer's reply becomes the page's
//           Response (fetch) or the XHR's state and events (Epson's SDK);
//   failed: it fails as a network failure does (fetch: TypeError; XHR: error event).
// The page's signal (docs/protocol.md, "The page hook"): a TimeoutError (Odoo 19's
// AbortSignal.timeout(15000)) while the print is held is ignored, so that the receipt is not lost
// while the person reads the prompt; any other abort (the page gave up) rejects at once with the
// signal's reason and the held print is dropped, never sent later.
(() => {
  'use strict';
  const MARK = '__eposTrustHook';
  if (window[MARK] || window.top !== window) return;
  Object.defineProperty(window, MARK, { value: true });

  const SERVICE_PATH = '/cgi-bin/epos/service.cgi';
  // If no bridge acknowledges a hold in this time (the extension is off), the request goes on.
  const ACK_TIMEOUT_MS = 1500;
  const originalFetch = window.fetch;
  const OriginalRequest = window.Request;
  const OriginalResponse = window.Response;
  const xhrProto = XMLHttpRequest.prototype;
  const originalOpen = xhrProto.open;
  const originalSend = xhrProto.send;
  const originalSetHeader = xhrProto.setRequestHeader;
  const originalAbort = xhrProto.abort;
  const waiting = new Map();
  let nextId = 1;

  function isPrinterUrl(raw) {
    try {
      const url = new URL(raw, location.href);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === SERVICE_PATH ? url.href : null;
    } catch {
      return null;
    }
  }

  const emit = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail: JSON.stringify(detail) }));
  const detailOf = (event) => {
    try {
      return JSON.parse(event.detail);
    } catch {
      return {};
    }
  };

  document.addEventListener('epos-trust:ack', (event) => {
    const entry = waiting.get(detailOf(event).id);
    if (entry) clearTimeout(entry.ackTimer);
  });
  document.addEventListener('epos-trust:answer', (event) => {
    const answer = detailOf(event);
    const entry = waiting.get(answer.id);
    if (!entry) return;
    waiting.delete(answer.id);
    clearTimeout(entry.ackTimer);
    entry.resolve(answer);
  });

  // Holds one request: resolves with the extension's answer. cancel() drops it.
  function ask(request) {
    const id = nextId++;
    const promise = new Promise((resolve) => {
      const ackTimer = setTimeout(() => {
        waiting.delete(id);
        resolve({ outcome: 'direct' });
      }, ACK_TIMEOUT_MS);
      waiting.set(id, { resolve, ackTimer });
    });
    emit('epos-trust:hold', { id, ...request });
    const cancel = () => {
      const entry = waiting.get(id);
      if (!entry) return;
      waiting.delete(id);
      clearTimeout(entry.ackTimer);
      emit('epos-trust:cancel', { id });
      entry.resolve({ outcome: 'cancelled' });
    };
    return { promise, cancel };
  }

  const isTimeout = (reason) => reason instanceof DOMException && reason.name === 'TimeoutError';

  function contentTypeOf(headers, body) {
    try {
      const type = new Headers(headers ?? undefined).get('content-type');
      if (type) return type;
    } catch {
      // unreadable headers: the browser's default below
    }
    return typeof body === 'string' ? 'text/plain;charset=UTF-8' : undefined;
  }

  // ---- fetch ------------------------------------------------------------------------------
  window.fetch = function fetch(input, init) {
    const isRequest = input instanceof OriginalRequest;
    const url = isPrinterUrl(isRequest ? input.url : String(input));
    if (!url) return originalFetch.apply(this, arguments);
    const self = this;
    const signal = init?.signal !== undefined ? init.signal : isRequest ? input.signal : undefined;
    if (signal?.aborted) return originalFetch.apply(this, arguments); // rejects as the browser does
    return (async () => {
      const method = String(init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
      let body = init?.body;
      if (body === undefined && isRequest) body = await input.clone().text();
      else if (body !== undefined && body !== null && typeof body !== 'string') body = await new OriginalResponse(body).text();
      const headers = init?.headers ?? (isRequest ? input.headers : undefined);
      const request = { url, method, body: body ?? '', contentType: contentTypeOf(headers, body) };
      const answerOf = async (held) => {
        let abortedWith = null;
        const onAbort = () => {
          if (isTimeout(signal.reason)) return; // the person is deciding: keep the receipt
          abortedWith = signal.reason;
          held.cancel();
        };
        signal?.addEventListener('abort', onAbort);
        const answer = await held.promise;
        signal?.removeEventListener('abort', onAbort);
        if (abortedWith !== null || answer.outcome === 'cancelled') throw abortedWith;
        return answer;
      };
      // direct: the browser's own request. A timeout that fired while held is not carried on
      // (the page's deadline was spent waiting for the person, not for the printer).
      const direct = () => {
        if (signal?.aborted && isTimeout(signal.reason)) {
          if (isRequest && (init === undefined || init.signal === undefined)) {
            return originalFetch.call(self, new OriginalRequest(input, { signal: null }), init);
          }
          return originalFetch.call(self, input, { ...init, signal: null });
        }
        return originalFetch.call(self, input, init);
      };
      const answer = await answerOf(ask(request));
      if (answer.outcome === 'relay') return toResponse(answer.response, url);
      if (answer.outcome === 'failed') throw new TypeError('Failed to fetch');
      if (!answer.retry) return direct();
      // An http: print (Odoo's use_lna) went as the page wrote it; when the browser fails it
      // (Local Network Access), the same print is asked about once more and, trusted, relayed.
      try {
        return await direct();
      } catch (failure) {
        if (!(failure instanceof TypeError) || signal?.aborted) throw failure;
        const again = await answerOf(ask({ ...request, afterDirectFailure: true }));
        if (again.outcome === 'relay') return toResponse(again.response, url);
        throw failure;
      }
    })();
  };

  function toResponse(r, url) {
    const nullBody = [101, 204, 205, 304].includes(r.status);
    const response = new OriginalResponse(nullBody ? null : r.body, {
      status: r.status >= 200 && r.status <= 599 ? r.status : 502,
      statusText: r.statusText ?? '',
      headers: r.contentType ? { 'content-type': r.contentType } : {},
    });
    Object.defineProperty(response, 'url', { value: url });
    return response;
  }

  // ---- XMLHttpRequest (Epson's ePOS SDK) --------------------------------------------------
  const state = new WeakMap();

  xhrProto.open = function open(method, url, async) {
    const printer = isPrinterUrl(url);
    // A synchronous request cannot be held: it goes as the page wrote it.
    state.set(this, printer && async !== false ? { method: String(method).toUpperCase(), url: printer, headers: {} } : null);
    return originalOpen.apply(this, arguments);
  };

  xhrProto.setRequestHeader = function setRequestHeader(name, value) {
    const s = state.get(this);
    if (s) s.headers[String(name).toLowerCase()] = String(value);
    return originalSetHeader.apply(this, arguments);
  };

  xhrProto.abort = function abort() {
    const s = state.get(this);
    if (s?.held) {
      s.held.cancel();
      s.held = null;
      finish(this, s, { aborted: true });
      return undefined;
    }
    return originalAbort.apply(this, arguments);
  };

  xhrProto.send = function send(body) {
    const s = state.get(this);
    if (!s) return originalSend.apply(this, arguments);
    const xhr = this;
    const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : null;
    const go = (payload) => {
      s.held = ask({ url: s.url, method: s.method, body: payload, contentType: s.headers['content-type'] ?? contentTypeOf(undefined, payload) });
      xhr.dispatchEvent(new ProgressEvent('loadstart'));
      s.held.promise.then((answer) => {
        if (!s.held) return; // aborted meanwhile
        s.held = null;
        if (answer.outcome === 'direct') originalSend.call(xhr, body);
        else if (answer.outcome === 'relay') finish(xhr, s, { response: answer.response });
        else if (answer.outcome === 'failed') finish(xhr, s, { error: true });
      });
    };
    if (text !== null) go(text);
    else new OriginalResponse(body).text().then(go);
    return undefined;
  };

  // Gives the XHR the state a real exchange would have left (own properties shadow the
  // prototype's getters) and fires the events in the browser's order.
  function finish(xhr, s, { response, error, aborted }) {
    const r = response ?? { status: 0, statusText: '', contentType: '', body: '' };
    let readyState = 1;
    const headers = r.contentType ? `content-type: ${r.contentType}\r\n` : '';
    let xml;
    const responseXML = () => {
      if (xml === undefined) {
        xml = null;
        if (response && /xml/i.test(r.contentType || 'text/xml')) {
          const doc = new DOMParser().parseFromString(r.body, 'text/xml');
          xml = doc.getElementsByTagName('parsererror').length ? null : doc;
        }
      }
      return xml;
    };
    const define = (name, get) => Object.defineProperty(xhr, name, { get, configurable: true });
    define('readyState', () => readyState);
    define('status', () => (response && readyState === 4 ? r.status : 0));
    define('statusText', () => (response && readyState === 4 ? r.statusText : ''));
    define('responseURL', () => (response ? s.url : ''));
    define('responseText', () => (response ? r.body : ''));
    define('responseXML', () => (readyState === 4 ? responseXML() : null));
    define('response', () => {
      if (!response) return xhr.responseType === '' || xhr.responseType === 'text' ? '' : null;
      if (xhr.responseType === 'document') return responseXML();
      if (xhr.responseType === 'json') {
        try {
          return JSON.parse(r.body);
        } catch {
          return null;
        }
      }
      return r.body;
    });
    Object.defineProperty(xhr, 'getResponseHeader', {
      value: (name) => (response && String(name).toLowerCase() === 'content-type' && r.contentType ? r.contentType : null),
      configurable: true,
    });
    Object.defineProperty(xhr, 'getAllResponseHeaders', { value: () => (response ? headers : ''), configurable: true });
    const fire = (type) => xhr.dispatchEvent(type === 'readystatechange' ? new Event(type) : new ProgressEvent(type));
    if (response) {
      readyState = 2;
      fire('readystatechange');
      readyState = 3;
      fire('readystatechange');
      fire('progress');
      readyState = 4;
      fire('readystatechange');
      fire('load');
      fire('loadend');
      return;
    }
    readyState = 4;
    fire('readystatechange');
    fire(aborted ? 'abort' : error ? 'error' : 'error');
    fire('loadend');
    if (aborted) readyState = 0;
  }
})();
