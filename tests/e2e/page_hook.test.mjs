// extension/src/pos/page_hook.js in real Chromium and Firefox, on its own: the page hook is loaded
// into a plain page before its scripts (as the browser does with a MAIN-world content script at
// document_start), and a scripted peer plays the bridge's side of the DOM-event contract
// (docs/protocol.md, "The page hook"). What the page's fetch and XHR then see: a relayed answer as
// a real Response / XHR state and events, a failure as a network failure, a Request object's body,
// Odoo 19's AbortSignal.timeout kept while held, an explicit abort dropping the print.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch } from './lib/browsers.mjs';
import { paths } from './lib/paths.mjs';
import { makeSandbox } from './lib/sandbox.mjs';

const HOOK = readFileSync(join(paths.root, 'extension', 'src', 'pos', 'page_hook.js'), 'utf8');
const REPLY = '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="true" code="" status="251658262" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>';

// The bridge's side, scripted: answers every hold after `delayMs` with the outcome the test set in
// window.__answer, and records holds and cancels.
const PEER = `
window.__holds = []; window.__cancels = []; window.__answer = { outcome: 'relay' }; window.__delayMs = 0;
document.addEventListener('epos-trust:hold', (e) => {
  const hold = JSON.parse(e.detail);
  window.__holds.push(hold);
  document.dispatchEvent(new CustomEvent('epos-trust:ack', { detail: JSON.stringify({ id: hold.id }) }));
  setTimeout(() => {
    const a = window.__answer;
    const out = { id: hold.id, outcome: a.outcome };
    if (a.outcome === 'relay') out.response = { status: 200, statusText: 'OK', contentType: 'text/xml; charset=utf-8', body: ${JSON.stringify(REPLY)} };
    document.dispatchEvent(new CustomEvent('epos-trust:answer', { detail: JSON.stringify(out) }));
  }, window.__delayMs);
});
document.addEventListener('epos-trust:cancel', (e) => window.__cancels.push(JSON.parse(e.detail).id));
`;

const PRINTER = 'https://127.0.0.25:9/cgi-bin/epos/service.cgi?devid=local_printer&timeout=10000';
let server;
let origin;
before(async () => {
  // The page's own scripts run after the hook and the peer (both inline at the top, in order).
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><script>${HOOK}</script><script>${PEER}</script></head><body>pos</body></html>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

for (const kind of ['chrome', 'firefox']) {
  test(`${kind}: the page hook's answers, signals and XHR`, async () => {
    const sandbox = makeSandbox(kind, { name: 'hook', withHost: false });
    const run = await launch(kind, sandbox, { extension: false });
    try {
      const page = await run.browser.newPage();
      await page.goto(`${origin}/pos/ui`);

      // A relayed answer is a real Response.
      const relayed = await page.evaluate(async (url) => {
        const r = await fetch(url, { method: 'POST', body: '<epos-print/>' });
        return { ok: r.ok, status: r.status, statusText: r.statusText, type: r.headers.get('content-type'), url: r.url, text: await r.text(), instance: r instanceof Response };
      }, PRINTER);
      assert.deepEqual(relayed, { ok: true, status: 200, statusText: 'OK', type: 'text/xml; charset=utf-8', url: PRINTER, text: REPLY, instance: true });
      const first = await page.evaluate(() => window.__holds[0]);
      assert.equal(first.method, 'POST');
      assert.equal(first.body, '<epos-print/>');
      assert.equal(first.url, PRINTER);
      assert.equal(first.contentType, 'text/plain;charset=UTF-8');

      // A Request object: its method, body and headers are what is held.
      const viaRequest = await page.evaluate(async (url) => {
        const req = new Request(url, { method: 'POST', body: '<r/>', headers: { 'Content-Type': 'text/xml' } });
        const r = await fetch(req);
        return { status: r.status, hold: window.__holds.at(-1) };
      }, PRINTER);
      assert.equal(viaRequest.status, 200);
      assert.equal(viaRequest.hold.body, '<r/>');
      assert.equal(viaRequest.hold.contentType, 'text/xml');

      // failed: a network failure, as the browser gives one.
      const failed = await page.evaluate(async (url) => {
        window.__answer = { outcome: 'failed' };
        try {
          await fetch(url, { method: 'POST', body: 'x' });
          return 'resolved';
        } catch (e) {
          return `${e.name}`;
        } finally {
          window.__answer = { outcome: 'relay' };
        }
      }, PRINTER);
      assert.equal(failed, 'TypeError');

      // Odoo 19's AbortSignal.timeout while the person decides: the receipt is not lost.
      const timedOut = await page.evaluate(async (url) => {
        window.__delayMs = 400;
        try {
          const r = await fetch(url, { method: 'POST', body: 'x', signal: AbortSignal.timeout(50) });
          return `status ${r.status}`;
        } catch (e) {
          return `${e.name}`;
        } finally {
          window.__delayMs = 0;
        }
      }, PRINTER);
      assert.equal(timedOut, 'status 200');

      // An explicit abort: rejected at once with the reason, and the hold is cancelled.
      const aborted = await page.evaluate(async (url) => {
        window.__delayMs = 2000;
        const controller = new AbortController();
        const holdsBefore = window.__holds.length;
        const started = Date.now();
        setTimeout(() => controller.abort(), 50);
        try {
          await fetch(url, { method: 'POST', body: 'x', signal: controller.signal });
          return { result: 'resolved' };
        } catch (e) {
          return { result: e.name, ms: Date.now() - started, cancelled: window.__cancels.includes(window.__holds[holdsBefore].id) };
        } finally {
          window.__delayMs = 0;
        }
      }, PRINTER);
      assert.equal(aborted.result, 'AbortError');
      assert.ok(aborted.ms < 1500, `rejected after ${aborted.ms} ms`);
      assert.equal(aborted.cancelled, true);

      // Not a printer: untouched (no hold).
      const before = await page.evaluate(() => window.__holds.length);
      await page.evaluate(async (o) => (await fetch(`${o}/pos/ui`)).status, origin);
      assert.equal(await page.evaluate(() => window.__holds.length), before);

      // The Epson SDK's XHR: states 1..4, events in order, responseText and responseXML.
      const xhr = await page.evaluate(
        (url) =>
          new Promise((resolve) => {
            const x = new XMLHttpRequest();
            const states = [];
            const events = [];
            x.onreadystatechange = () => states.push(x.readyState);
            for (const type of ['loadstart', 'progress', 'load', 'error', 'loadend']) x.addEventListener(type, () => events.push(type));
            x.open('POST', url, true);
            x.setRequestHeader('Content-Type', 'text/xml; charset=utf-8');
            x.onloadend = () =>
              setTimeout(() =>
                resolve({
                  states,
                  events,
                  status: x.status,
                  statusText: x.statusText,
                  type: x.getResponseHeader('Content-Type'),
                  text: x.responseText === x.response,
                  success: x.responseXML?.getElementsByTagName('response')[0]?.getAttribute('success'),
                  hold: window.__holds.at(-1),
                }),
              );
            x.send('<epos-print/>');
          }),
        PRINTER,
      );
      assert.deepEqual(xhr.states, [1, 2, 3, 4]);
      assert.deepEqual(xhr.events, ['loadstart', 'progress', 'load', 'loadend']);
      assert.equal(xhr.status, 200);
      assert.equal(xhr.statusText, 'OK');
      assert.equal(xhr.type, 'text/xml; charset=utf-8');
      assert.equal(xhr.text, true);
      assert.equal(xhr.success, 'true');
      assert.equal(xhr.hold.contentType, 'text/xml; charset=utf-8');

      // XHR failed: status 0, error then loadend.
      const xhrFailed = await page.evaluate(
        (url) =>
          new Promise((resolve) => {
            window.__answer = { outcome: 'failed' };
            const x = new XMLHttpRequest();
            const events = [];
            for (const type of ['load', 'error', 'loadend']) x.addEventListener(type, () => events.push(type));
            x.onloadend = () => setTimeout(() => resolve({ events, status: x.status, readyState: x.readyState }));
            x.open('POST', url);
            x.send('x');
          }).finally(() => (window.__answer = { outcome: 'relay' })),
        PRINTER,
      );
      assert.deepEqual(xhrFailed, { events: ['error', 'loadend'], status: 0, readyState: 4 });
    } finally {
      await run.browser.close().catch(() => {});
      sandbox.remove();
    }
  });
}
