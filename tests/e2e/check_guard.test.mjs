// The check page against a hostile page (framing, open redirect, host errors, networks, machine
// policy), a printer that moved after it was trusted, and the export for tablets, in real headless
// Chromium and Firefox ESR.
// Run through run-isolated.sh (loopback-only network, private /etc overlay), as CTest does.
// EPOS_E2E_BROWSER=chrome (or firefox), the variable of the other e2e suites, runs one browser only.
import { before, test } from 'node:test';
import * as scenario from './lib/check_guard_scenarios.mjs';
import { requireBuilt } from './lib/paths.mjs';

const KINDS = (process.env.EPOS_E2E_BROWSER ?? 'chrome,firefox').split(',');
const NAMES = { chrome: 'Chromium', firefox: 'Firefox' };
before(() => requireBuilt());

for (const kind of KINDS) {
  const b = NAMES[kind];
  test(`${b}: a framing https page gets nothing from the check page (CSP frame-ancestors): nothing installed`, async () => {
    const seen = await scenario.framedCheckPage(kind, { csp: true });
    console.log(`${b}: framed check page shows ${seen.frameUrl.slice(0, 60)}`);
  });
  test(`${b}: without the CSP, the framed check page itself shows and asks nothing: nothing installed`, () =>
    scenario.framedCheckPage(kind, { csp: false }));
  test(`${b}: the check page opened with a hostile fragment goes nowhere`, () => scenario.openRedirect(kind));
  test(`${b}: a host error (bad_url, unreachable) leaves no allow rule`, () => scenario.hostErrorNoAllowRule(kind));
  test(`${b}: an address outside the chosen networks is not inspected`, () => scenario.networksApplied(kind));
  test(`${b}: the machine policy forbids installs: no Trust button, the reason`, () => scenario.policyForbids(kind));
  test(`${b}: a printer that moved after it was trusted: explained, the stale trust removed`, () => scenario.movedPrinter(kind));
  // These two need the host's certificate.names and export-cert (docs/protocol.md).
  test(`${b}: a certificate naming sites beyond the printer: every name shown, public ones marked, no Trust`, () =>
    scenario.namesBeyondPrinter(kind));
  test(`${b}: export for iPad / Android from the popup: the printer's certificate, parsed`, () => scenario.exportForTablets(kind));
}
