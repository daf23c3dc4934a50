// Odoo's real pages that print to an Epson ePOS printer, each at the path Odoo serves it from and
// with the request exactly as that Odoo code makes it (docs/browser-behaviour.md §8 and §9):
// - 17/18 POS (`/pos/ui?config_id=N`, 18/19 `/pos/ui/<config_id>[/<subpath>]`): pos_epson_printer's
//   EpsonPrinter, `fetch(location.protocol + "//" + ip + "/cgi-bin/epos/service.cgi?devid=local_printer",
//   {method: "POST", body})`, no headers, no signal;
// - 19 (`point_of_sale/static/src/app/utils/printer/epson_printer.js`): `&timeout=<ms>` in the URL and
//   `signal: AbortSignal.timeout(15000)`;
// - `point_of_sale.use_lna` (18 backport, 19 `use_lna`): `http:` with `targetAddressSpace: "local"`;
//   19 retries over https when http fails (lnaFallback);
// - Epson's ePOS SDK (`epos-2.x.js` ePOSPrint.send): XMLHttpRequest with `text/xml`, `SOAPAction`,
//   `If-Modified-Since` (a CORS preflight) and `&timeout=` in the URL;
// - a `Request` object handed to fetch (wrappers and add-ons do this);
// - the backend printer form's Test button (19 `backend/test_epos/test_epos.js`, at
//   `/odoo/action-point_of_sale.action_pos_printer_form/<id>`): the test receipt with
//   `signal: AbortSignal.any([lifetime, AbortSignal.timeout(15000)])`;
// - the backend receipt re-print (the order form, `/odoo/action-point_of_sale.action_pos_pos_form/<id>`,
//   same EpsonPrinter code);
// - the self-order kiosk (`/pos-self/<config_id>?access_token=...`, pos_self_order).
// Every page has a #print button and shows Odoo's own outcome in #result: `success=true|false` from
// `<response success>`, or "Connection to the printer failed" / "TimeoutError" when the fetch threw.

export const RECEIPT =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
  '<epos-print xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print">' +
  '<text lang="en" smooth="true">epos-trust e2e receipt&#10;</text><cut type="feed"/></epos-print>' +
  '</s:Body></s:Envelope>';

// Odoo 19's Test button receipt (test_epos.js).
export const TEST_RECEIPT =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
  '<epos-print xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print">' +
  '<feed line="1"/><text align="center">This is a test receipt&#10;</text><feed line="3"/><cut type="feed"/></epos-print>' +
  '</s:Body></s:Envelope>';

const EPOS = '/cgi-bin/epos/service.cgi?devid=local_printer';

// The printing code of each shape: `ip` (printer "host:port") and `body` are in scope; it
// resolves with what the page shows.
const SHAPES = {
  odoo17: {
    path: '/pos/ui?config_id=1',
    elements: ['text', 'cut'],
    code: `const res = await fetch(window.location.protocol + '//' + ip + '${EPOS}', { method: 'POST', body });
      return parse(await res.text());`,
  },
  odoo18: {
    path: '/pos/ui/1',
    elements: ['text', 'cut'],
    code: `const res = await fetch(window.location.protocol + '//' + ip + '${EPOS}', { method: 'POST', body });
      return parse(await res.text());`,
  },
  odoo19: {
    path: '/pos/ui/1/product',
    elements: ['text', 'cut'],
    code: `const timeout = 15000;
      const res = await fetch(window.location.protocol + '//' + ip + '${EPOS}&timeout=' + timeout,
        { method: 'POST', body, signal: AbortSignal.timeout(timeout) });
      return parse(await res.text());`,
  },
  // An http: print to a printer not yet trusted goes as the shop chose (docs/protocol.md "The page
  // hook"); when the browser fails it (Local Network Access), the same print is held and asked
  // about, and after Trust the relay carries it over https: one answer, the receipt prints.
  useLna18: {
    path: '/pos/ui/1',
    elements: ['text', 'cut'],
    code: `const res = await fetch('http://' + ip + '${EPOS}', { method: 'POST', body, targetAddressSpace: 'local' });
      return parse(await res.text());`,
  },
  useLna19: {
    path: '/pos/ui/1/product',
    elements: ['text', 'cut'],
    code: `const timeout = 15000;
      const send = (scheme) => fetch(scheme + '//' + ip + '${EPOS}&timeout=' + timeout,
        { method: 'POST', body, targetAddressSpace: 'local', signal: AbortSignal.timeout(timeout) });
      let res;
      try { res = await send('http:'); } catch (e) { window.lnaFallback = e.name; res = await send('https:'); }
      return parse(await res.text());`,
  },
  eposSdkXhr: {
    path: '/pos/ui?config_id=1',
    elements: ['text', 'cut'],
    code: `return await new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', window.location.protocol + '//' + ip + '${EPOS}&timeout=10000', true);
        xhr.setRequestHeader('Content-Type', 'text/xml; charset=utf-8');
        xhr.setRequestHeader('If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT');
        xhr.setRequestHeader('SOAPAction', '""');
        xhr.onreadystatechange = () => {
          if (xhr.readyState !== 4) return;
          if (xhr.status === 200 && xhr.responseXML) {
            const r = xhr.responseXML.getElementsByTagName('response')[0];
            resolve(r ? 'success=' + r.getAttribute('success') : 'no response');
          } else reject(new Error('status ' + xhr.status));
        };
        xhr.send(body);
      });`,
  },
  requestObject: {
    path: '/pos/ui/1',
    elements: ['text', 'cut'],
    code: `const req = new Request(window.location.protocol + '//' + ip + '${EPOS}', { method: 'POST', body });
      const res = await fetch(req);
      return parse(await res.text());`,
  },
  backendTest: {
    path: '/odoo/action-point_of_sale.action_pos_printer_form/1',
    elements: ['feed', 'text', 'feed', 'cut'],
    test: true,
    code: `const lifetime = new AbortController();
      window.addEventListener('pagehide', () => lifetime.abort());
      const res = await fetch(window.location.protocol + '//' + ip + '${EPOS}',
        { method: 'POST', body, signal: AbortSignal.any([lifetime.signal, AbortSignal.timeout(15000)]) });
      const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
      const success = doc.querySelector('response')?.getAttribute('success');
      return 'success=' + (success === '1' ? 'true' : success);`,
  },
  backendReprint: {
    path: '/odoo/action-point_of_sale.action_pos_pos_form/1',
    elements: ['text', 'cut'],
    code: `const res = await fetch(window.location.protocol + '//' + ip + '${EPOS}', { method: 'POST', body });
      return parse(await res.text());`,
  },
  selfOrderKiosk: {
    path: '/pos-self/1?access_token=e2e0token',
    elements: ['text', 'cut'],
    code: `const res = await fetch(window.location.protocol + '//' + ip + '${EPOS}', { method: 'POST', body });
      return parse(await res.text());`,
  },
};

export const SHAPE_NAMES = Object.freeze(Object.keys(SHAPES));

export function shape(name) {
  const s = SHAPES[name];
  if (!s) throw new Error(`no Odoo page shape ${name}`);
  return s;
}

// `extraScript`: a hostile page's own code, run after Odoo's (tests/e2e/hostile.test.mjs).
export function shapePage(name, printerIp, { extraScript = '', title = 'Point of Sale' } = {}) {
  const s = shape(name);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>
<body><button id="print">Print receipt</button><pre id="result">idle</pre>
<script>
const ip = ${JSON.stringify(printerIp)};
const body = ${JSON.stringify(s.test ? TEST_RECEIPT : RECEIPT)};
function parse(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const res = doc.querySelector('response');
  return res ? 'success=' + res.getAttribute('success') : 'no response';
}
async function print() {
  try {
    ${s.code}
  } catch (e) {
    return e && e.name === 'TimeoutError' ? 'TimeoutError' : 'Connection to the printer failed';
  }
}
window.prints = 0;
document.getElementById('print').addEventListener('click', async () => {
  document.getElementById('result').textContent = 'printing';
  window.prints += 1;
  document.getElementById('result').textContent = await print();
});
</script>
<script>${extraScript}</script></body></html>`;
}

// A POS server's `pages` for one shape: its path (query ignored, any subpath) and nothing else.
export function shapePages(name, printerIp, options) {
  const path = shape(name).path.split('?')[0];
  return (url) => (url.split('?')[0] === path ? shapePage(name, printerIp, options) : null);
}
