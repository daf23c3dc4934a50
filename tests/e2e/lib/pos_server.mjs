// A POS-like page on https://127.0.0.1:<port>/pos/ui that prints exactly as Odoo 17/18 does
// (docs/browser-behaviour.md §8): fetch(location.protocol + "//" + ip + "/cgi-bin/epos/service.cgi?devid=local_printer",
// {method: "POST", body: xml}) with no headers, then parses <response success=...>.
import { startTestOrigin } from './test_origin.mjs';

const RECEIPT =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
  '<epos-print xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print">' +
  '<text lang="en" smooth="true">epos-trust e2e receipt&#10;</text><cut type="feed"/></epos-print>' +
  '</s:Body></s:Envelope>';

function page(printerIp, transport, frame) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Point of Sale</title></head>
<body><button id="print">Print receipt</button><button id="print-http">Print over http</button><pre id="result">idle</pre>${frame ? `<iframe id="frame" src="${frame}"></iframe>` : ''}
<script>
const ip = ${JSON.stringify(printerIp)};
const body = ${JSON.stringify(RECEIPT)};
function parse(text) {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const res = doc.getElementsByTagName('response')[0];
  return res ? 'success=' + res.getAttribute('success') : 'no response';
}
async function printWithFetch() {
  const url = window.location.protocol + '//' + ip + '/cgi-bin/epos/service.cgi?devid=local_printer';
  try {
    const res = await fetch(url, { method: 'POST', body });
    return parse(await res.text());
  } catch (e) {
    return 'Connection to the printer failed';
  }
}
function printWithXhr() {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', window.location.protocol + '//' + ip + '/cgi-bin/epos/service.cgi?devid=local_printer', true);
    xhr.onload = () => resolve(parse(xhr.responseText));
    xhr.onerror = () => resolve('Connection to the printer failed');
    xhr.send(body);
  });
}
// A print from a dedicated worker: no page hook can hold it (the reactive path).
function printWithWorker() {
  const source = 'onmessage = async (e) => { try { const r = await fetch(e.data.url, { method: "POST", body: e.data.body });' +
    ' postMessage(await r.text()); } catch (err) { postMessage(null); } };';
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  const url = window.location.protocol + '//' + ip + '/cgi-bin/epos/service.cgi?devid=local_printer';
  return new Promise((resolve) => {
    worker.onmessage = (e) => resolve(e.data === null ? 'Connection to the printer failed' : parse(e.data));
    worker.postMessage({ url, body });
  });
}
// Odoo's point_of_sale.use_lna: http: with targetAddressSpace "local" (docs/browser-behaviour.md §9).
async function printWithHttp() {
  const url = 'http://' + ip + '/cgi-bin/epos/service.cgi?devid=local_printer';
  try {
    const res = await fetch(url, { method: 'POST', body, targetAddressSpace: 'local' });
    return parse(await res.text());
  } catch (e) {
    return 'Connection to the printer failed';
  }
}
document.getElementById('print-http').addEventListener('click', async () => {
  document.getElementById('result').textContent = 'printing';
  document.getElementById('result').textContent = await printWithHttp();
});
const transports = { fetch: printWithFetch, xhr: printWithXhr, worker: printWithWorker };
document.getElementById('print').addEventListener('click', async () => {
  document.getElementById('result').textContent = 'printing';
  document.getElementById('result').textContent = await transports[${JSON.stringify(transport)}]();
});
</script></body></html>`;
}

// A request ?frame=<url> embeds that page (another origin's print page) in an iframe.
// tls: another POS server's {key, cert} (a second origin the same browser trust covers).
// `pages`: (url) => html or null, a suite's own pages (tests/e2e/lib/odoo_pages.mjs: Odoo's real
// paths and request shapes) served instead of the default one; setPages() changes them later.
export async function startPosServer({ printerIp, transport = 'fetch', host = '127.0.0.1', port = 0, tls = null, pages = null }) {
  let current = pages;
  const origin = await startTestOrigin(
    (req, res) => {
      if (current) {
        const own = current(req.url);
        if (own) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(own);
        else res.writeHead(404).end();
      } else if (req.url.startsWith('/pos/ui')) {
        const frame = new URL(req.url, 'https://x').searchParams.get('frame');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(printerIp, transport, frame && /^https:\/\/127\.0\.0\.\d+:\d+\/[\w/?=&.-]*$/.test(frame) ? frame : null));
      } else {
        res.writeHead(404).end();
      }
    },
    { host, port, tls },
  );
  return {
    ...origin,
    // A page set made after the server (it needs another server's address).
    setPages: (fn) => {
      current = fn;
    },
  };
}
