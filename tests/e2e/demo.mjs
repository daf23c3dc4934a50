#!/usr/bin/env node
// The main job, shown against the bundled printer emulator (README):
//   headless (default): in real Chromium and Firefox ESR with the extension and the real host,
//     open the printer, show what the check page tells the person, press "Trust this printer" for
//     them, and print whether the page then loaded securely and how long it took;
//   --show (needs a display): a Chromium window with the extension, at the printer's address,
//     for you to click through; close the window to end.
// Run the headless demo through tests/e2e/run-isolated.sh (loopback-only network, as root):
//   tests/e2e/run-isolated.sh node tests/e2e/demo.mjs        (EPOS_BUILD_DIR=build by default)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { extensionPage, launch, setLocalSettings } from './lib/browsers.mjs';
import { startPrinter } from './lib/emulator.mjs';
import { startNavigation, waitForPrinterPage, waitForSelector } from './lib/pages.mjs';
import { paths, requireBuilt } from './lib/paths.mjs';
import { makeSandbox } from './lib/sandbox.mjs';

const show = process.argv.includes('--show');
const shots = join(process.env.EPOS_BUILD_DIR ?? join(paths.root, 'build'), 'demo');
mkdirSync(shots, { recursive: true });

async function letChromiumMakeItsDatabase(run) {
  // A fresh profile has no NSS database until Chromium meets an unknown certificate (README).
  const other = await startPrinter({ address: '127.0.0.2' });
  const page = await extensionPage(run);
  await page.evaluate((u) => fetch(u).catch(() => null), other.url);
  await page.close();
  other.stop();
}

async function demo(kind, label) {
  const printer = await startPrinter({ address: '127.0.0.25' });
  const sandbox = makeSandbox(kind, { name: 'demo' });
  const run = await launch(kind, sandbox, { headless: !show });
  try {
    if (kind === 'chrome') await letChromiumMakeItsDatabase(run);
    // The emulator is on loopback, which is not a printer network by default.
    await setLocalSettings(run, { networks: ['loopback', 'private', 'link_local', 'ula'], precheck: true });
    const page = await run.browser.newPage();
    console.log(`\n== ${label}: opening ${printer.url}/ (the bundled ePOS printer emulator)`);
    startNavigation(page, `${printer.url}/`);
    if (show) {
      console.log('   The browser window is yours: trust the printer, then close the window.');
      await new Promise((resolve) => run.browser.once('disconnected', resolve));
      return;
    }
    await waitForSelector(page, '#trust');
    const said = await page.$eval('main', (el) => el.innerText);
    console.log(`   The check page says:\n${said.replace(/\n\s*\n/g, '\n').trim().replace(/^/gm, '   | ')}`);
    await page.screenshot({ path: join(shots, `${kind}-check-page.png`) });
    console.log('   Pressing "Trust this printer" (as the person would, after comparing the fingerprint)…');
    const t0 = Date.now();
    await page.click('#trust');
    const loadEnd = await waitForPrinterPage(page, printer.url);
    await page.screenshot({ path: join(shots, `${kind}-printer-page.png`) });
    console.log(`   Result: "${await page.title()}" loaded securely, ${Math.round(loadEnd - t0)} ms after the click, no restart.`);
    const entries = sandbox.hostCli('list').entries;
    console.log(`   epos-trust list: ${entries.map((e) => `${e.address} in ${e.location} (${e.trust})`).join('; ')}`);
  } finally {
    if (!show) await run.browser.close().catch(() => {});
    printer.stop();
    sandbox.remove();
  }
}

requireBuilt();
await demo('chrome', 'Chromium');
if (!show) await demo('firefox', 'Firefox ESR');
console.log(`\nScreenshots: ${shots}`);
