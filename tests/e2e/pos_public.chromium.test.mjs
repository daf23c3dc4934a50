// The Odoo POS on a PUBLIC origin printing to a LOCAL printer in real headless Chromium (Local Network
// Access applies; lib/pos_public.mjs), with the extension, the real host and its relay, the emulator.
// Run through run-isolated.sh (loopback-only network), as CTest does.
import { after, before, test } from 'node:test';
import { requireBuilt } from './lib/paths.mjs';
import * as scenario from './lib/pos_public.mjs';
import { report } from './lib/results.mjs';

const KIND = 'chrome';
before(() => requireBuilt());
after(() => report('Chromium, public POS origin'));

for (const permission of ['granted', 'denied', 'prompt']) {
  test(`local-network permission ${permission}: one Trust click, the receipt prints, so does the next`, () =>
    scenario.trustThenPrint(KIND, permission));
}
test('rejected the printer before (a direct print first): prints right after Trust, no restart', () =>
  scenario.rejectedEarlierThenTrust(KIND));
test('Not now: nothing installed, nothing sent, the page print fails', () => scenario.notNow(KIND));
test('a POS origin not configured and a cross-origin frame: no question, no relay', () => scenario.notAsked(KIND));
test('full screen: the prompt is a tab of the same window, which stays full screen', () => scenario.fullScreen(KIND));
