// The Odoo POS on a PUBLIC origin printing to a LOCAL printer (Local Network Access applies;
// tests/e2e/lib/public_pos.mjs), with the extension, the real host and its relay, the emulator, one
// browser per run (EPOS_E2E_BROWSER = chrome | firefox; CTest runs both).
// Run through run-isolated.sh (loopback-only network, private /etc overlay), as CTest does.
import { after, before, test } from 'node:test';
import { LNA_PERMISSIONS } from './lib/lna.mjs';
import { requireBuilt } from './lib/paths.mjs';
import * as scenario from './lib/public_pos.mjs';
import { report } from './lib/results.mjs';

const KIND = process.env.EPOS_E2E_BROWSER ?? 'chrome';
before(() => requireBuilt());
after(() => report(`${KIND === 'chrome' ? 'Chromium' : 'Firefox ESR'}, public POS origin`));

for (const permission of LNA_PERMISSIONS) {
  test(`local-network permission ${permission}: one Trust click, the receipt prints, so does the next`, () =>
    scenario.trustThenPrint(KIND, permission));
}
test('rejected the printer before (a direct print first): prints right after Trust, no restart', () =>
  scenario.rejectedEarlierThenTrust(KIND));
test('Not now: nothing installed, nothing sent, the page print fails', () => scenario.notNow(KIND));
test('a POS origin not configured and a cross-origin frame: no question, no relay', () => scenario.notAsked(KIND));
test('full screen: the prompt is a tab of the same window, which stays full screen', () => scenario.fullScreen(KIND));
