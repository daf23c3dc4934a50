// One-off measurement (not a CTest suite): what each browser does with the check page when a
// hostile https page frames it, and whether the redirect of a printer navigation to the check page
// needs web_accessible_resources. Run per extension variant:
//   EPOS_EXTENSION_DIST=<variant dir> tests/e2e/run-isolated.sh node tests/e2e/measure_framing.mjs chrome|firefox
import { launch, setLocalSettings } from './lib/browsers.mjs';
import { startPrinter } from './lib/emulator.mjs';
import { startHostileServer } from './lib/hostile_server.mjs';
import { makeSandbox } from './lib/sandbox.mjs';
import { writeExtensionPolicy } from './lib/policy.mjs';

const kind = process.argv[2];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hostile = await startHostileServer();
const printer = await startPrinter({ address: '127.0.0.25' });
const sandbox = makeSandbox(kind, { name: 'measure' });
const launchOptions = kind === 'chrome' ? { extraArgs: [`--ignore-certificate-errors-spki-list=${hostile.spkiSha256}`] } : { trustedPem: hostile.certPem };
if (process.env.VIA_POLICY) writeExtensionPolicy(kind, { networks: ['loopback', 'private'], precheck: true });
const run = await launch(kind, sandbox, launchOptions);
const out = { kind, dist: process.env.EPOS_EXTENSION_DIST };
try {
  if (!process.env.VIA_POLICY) await setLocalSettings(run, { networks: ['loopback', 'private'], precheck: true });
  else await sleep(3000);
  // A: the redirect of a navigation to a printer.
  const tab = await run.browser.newPage();
  tab.goto(`${printer.url}/`).catch(() => {});
  await sleep(2500);
  out.redirect = await tab.evaluate(() => ({ href: location.href, trust: Boolean(document.querySelector('#trust')), text: document.body?.innerText?.slice(0, 160) })).catch((e) => ({ error: e.message }));
  await tab.close();
  // A2: the same from a link on a web page (a navigation with a web initiator).
  const linker = await run.browser.newPage();
  await linker.goto(`${hostile.origin}/landing`).catch(() => {});
  await linker.evaluate((u) => { location.href = u; }, `${printer.url}/from-link`).catch(() => {});
  await sleep(2500);
  out.redirectFromWebPage = await linker.evaluate(() => ({ href: location.href, trust: Boolean(document.querySelector('#trust')), text: document.body?.innerText?.slice(0, 100) })).catch((e) => ({ error: e.message }));
  await linker.close();
  // B: framed by a hostile page.
  hostile.setFrameTarget(`${run.base}check/check.html#${printer.url}/`);
  const page = await run.browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  await page.goto(`${hostile.origin}/frame`).catch((e) => consoleLines.push(`goto: ${e.message}`));
  await sleep(3000);
  out.frameEvents = await page.evaluate(() => window.frameEvents).catch((e) => e.message);
  out.frames = [];
  for (const frame of page.frames()) {
    const info = { url: frame.url() };
    info.content = await frame.evaluate(() => ({ href: location.href, trust: Boolean(document.querySelector('#trust')), text: document.body?.innerText?.slice(0, 160) })).catch((e) => ({ error: e.message.slice(0, 160) }));
    out.frames.push(info);
  }
  out.console = consoleLines.slice(0, 10);
} finally {
  await run.browser.close().catch(() => {});
  printer.stop();
  await hostile.close();
  sandbox.remove();
}
console.log(JSON.stringify(out, null, 1));
