// End-to-end in real headless Firefox ESR with the built extension, host and emulator.
// Run through run-isolated.sh (loopback-only network, private /etc overlay), as CTest does.
import { after, before, test } from 'node:test';
import { requireBuilt } from './lib/paths.mjs';
import { report } from './lib/results.mjs';
import * as scenario from './lib/scenarios.mjs';

const KIND = 'firefox';
before(() => requireBuilt());
after(() => report('Firefox ESR'));

test('(b) pinned printers, never seen: secure at the first navigation, no prompt', () => scenario.pinnedPrinters(KIND));
test('(e) check page prompt before first contact, then untrust from the settings page', () => scenario.promptThenUntrust(KIND));
test('(c) Odoo-like POS print with fetch: held, prompt, trusted, printed', () => scenario.posPrint(KIND, 'fetch'));
test('(c) POS print with XMLHttpRequest (Epson SDK): held, prompt, trusted, printed', () => scenario.posPrint(KIND, 'xhr'));
test('(c) reactive: a print the hook cannot hold fails, the same prompt follows', () => scenario.posReactive(KIND));
test('(d) CA:TRUE: explained, nothing installed', () => scenario.unusableCertificate(KIND, 'ca-true'));
test('(d) no SAN: explained, nothing installed', () => scenario.unusableCertificate(KIND, 'no-san'));
test('(a) toolbar flow on a warning page: trust, flush, reload: secure without restart', () => scenario.toolbarFlow(KIND));
test('(f) host not installed: the clear message', () => scenario.hostMissing(KIND));
