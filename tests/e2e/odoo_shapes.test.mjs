// Odoo's real request shapes on a PUBLIC POS origin with the printer LOCAL (Local Network Access
// between them, docs/browser-behaviour.md §9), one browser per run (EPOS_E2E_BROWSER = chrome |
// firefox; CTest runs both): each page of tests/e2e/lib/odoo_pages.mjs at Odoo's own path prints,
// the extension's prompt tab asks, one Trust click, and the receipt is in the emulator's log, the
// page got the printer's answer, and a later print arrives too. The page's own permission is
// denied (the shop that said no, or never saw the browser's prompt): only the relay through the
// host can reach the printer.
// Run through run-isolated.sh (loopback-only network, private /etc overlay), as CTest does.
import { after, before, test } from 'node:test';
import { LNA_PERMISSIONS } from './lib/lna.mjs';
import { requireBuilt } from './lib/paths.mjs';
import { publicPosPrint } from './lib/public_pos.mjs';
import { record, report } from './lib/results.mjs';

const KIND = process.env.EPOS_E2E_BROWSER ?? 'chrome';
const NAME = KIND === 'chrome' ? 'Chromium' : 'Firefox ESR';
before(() => requireBuilt());
after(() => report(`${NAME}, Odoo request shapes`));

const shapes = [
  ['odoo17', 'Odoo 17 /pos/ui?config_id=1: fetch without signal'],
  ['odoo18', 'Odoo 18 /pos/ui/1: fetch without signal'],
  ['useLna18', 'Odoo 18 use_lna: http: with targetAddressSpace "local"'],
  ['useLna19', 'Odoo 19 use_lna: http: then the https retry'],
  ['eposSdkXhr', "Epson SDK's XMLHttpRequest (text/xml, SOAPAction: a preflight)"],
  ['requestObject', 'a Request object handed to fetch'],
  ['backendTest', 'backend printer form Test button: AbortSignal.any([lifetime, timeout(15000)])'],
  ['backendReprint', 'backend receipt re-print (order form)'],
  ['selfOrderKiosk', 'self-order kiosk /pos-self/1'],
];
for (const [name, label] of shapes) {
  test(`${label}: one Trust click -> receipt, the page's answer, a later print`, async () => {
    const f = await publicPosPrint(KIND, name);
    record(`public POS (${name}), confirm -> receipt at the printer`, f.confirmToReceipt);
  });
}

// A person who takes 20 s to answer: Odoo 19's AbortSignal.timeout(15000) must not lose the
// receipt (the hook holds the page's promise past the page's own timer while the person decides).
test('Odoo 19 /pos/ui/1/product: signal timeout(15000) and &timeout=, the person answers after 20 s', async () => {
  await publicPosPrint(KIND, 'odoo19', { waitBeforeTrustMs: 20000 });
});

// The same flow whatever the page's own local-network permission says.
for (const permission of LNA_PERMISSIONS) {
  test(`Odoo 17, the page's local-network permission ${permission}: the same one-click flow`, async () => {
    await publicPosPrint(KIND, 'odoo17', { permission, promptTimeoutMs: 3000 });
  });
}
