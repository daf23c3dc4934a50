// A name outside the printer never loads as secure (docs/protocol.md, `names_beyond_printer`): a
// device at a printer's address presents a certificate that also names www.example-bank.com,
// *.odoo.com and accounts.google.com. The host refuses to trust it (certificate_too_broad, the
// databases unchanged), and afterwards the public name, resolved to that device, still gets the
// browser's certificate error in real Chromium and Firefox. A control in each browser installs
// the same certificate the way a trust would have (certutil, P,, for Chromium, C,, for Firefox)
// and the very same public name then loads as a secure page: so the refusal is what stands
// between the rogue device and a secure www.example-bank.com.
//
// The public name reaches the device through each browser's own resolver override (no DNS here):
// Chromium's --host-resolver-rules "MAP <name> <address>"; Firefox's network.dns.localDomains,
// which answers a listed name with loopback (127.0.0.1), so the device listens there. Run
// through run-isolated.sh (loopback-only network namespace).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium, launchFirefox } from './lib/browsers.mjs';
import { startPrinter } from './lib/emulator.mjs';
import { paths } from './lib/paths.mjs';
import { isolated } from '../lib/isolation.mjs';
import { certutilList, makeSandbox } from './lib/sandbox.mjs';

const PUBLIC_NAME = 'www.example-bank.com';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups = [];

before(() => {
  assert.ok(isolated({ net: true }), 'run through tests/e2e/run-isolated.sh (loopback only)');
  for (const key of ['host', 'emulator']) assert.ok(existsSync(paths[key]), `${key} not built: ${paths[key]}`);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// The host's trust of the rogue certificate, from the command line of this sandbox's person.
// Its HOME and state folder are the sandbox's (tests/lib/scratch_home.mjs), as the browser's.
function hostTrust(sandbox, device) {
  const run = spawnSync(paths.host, ['trust', device.url, '--sha256', device.sha256, '--yes', '--json'], { env: sandbox.env, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr, journal: join(sandbox.env.EPOS_TRUST_STATE_DIR, 'journal.json') };
}

// What `page` shows for `url`: "secure" (the device's Web Config page loaded over verified TLS:
// nobody clicks through a warning here) or "error" (the browser's certificate error page).
async function outcome(page, url) {
  page.goto(url, { timeout: 15000 }).catch(() => {});
  const end = Date.now() + 15000;
  let last = null;
  while (Date.now() < end) {
    last = await page.evaluate(() => ({ href: location.href, uri: document.documentURI, title: document.title })).catch(() => null);
    if (last?.title === 'Privacy error' || last?.uri?.startsWith('about:certerror')) return { result: 'error', last };
    if (last?.href?.startsWith(url) && last.title.includes('Web Config')) return { result: 'secure', last };
    await sleep(25);
  }
  return { result: 'neither', last };
}

test('Chromium: the host refuses the rogue certificate and the public name does not load securely', async () => {
  const device = await startPrinter({ address: '127.0.0.81', shape: 'too-broad' });
  cleanups.push(() => device.stop());
  const sandbox = makeSandbox('chrome', { withHost: false, name: 'scope' });
  cleanups.push(() => sandbox.remove());
  const port = new URL(device.url).port;
  const run = await launchChromium(sandbox, {
    extension: false,
    extraArgs: [`--host-resolver-rules=MAP ${PUBLIC_NAME} 127.0.0.81,MAP accounts.google.com 127.0.0.81`],
  });
  cleanups.push(() => run.browser.close().catch(() => {}));
  // Chromium makes its database when it first needs it: a visit to the device by its address
  // (a certificate error, and a cache entry for that address only) makes it exist, so that
  // "nothing written" below compares two real listings.
  const nssdb = join(sandbox.home, '.local', 'share', 'pki', 'nssdb');
  const first = await outcome(await run.browser.newPage(), `${device.url}/`);
  assert.equal(first.result, 'error', JSON.stringify(first));
  for (let i = 0; i < 100 && !existsSync(join(nssdb, 'cert9.db')); i++) await sleep(50);
  const before = certutilList(nssdb);
  assert.doesNotMatch(before, /certutil failed/);

  const trusted = hostTrust(sandbox, device);
  assert.notEqual(trusted.status, 0, trusted.output);
  assert.match(trusted.output, /certificate_too_broad/);
  assert.match(trusted.output, /www\.example-bank\.com/);
  assert.equal(certutilList(nssdb), before, 'nothing written to Chromium\'s database');
  assert.equal(existsSync(trusted.journal), false, 'nothing journaled');

  const url = `https://${PUBLIC_NAME}:${port}/`;
  const page = await run.browser.newPage();
  const refused = await outcome(page, url);
  assert.equal(refused.result, 'error', JSON.stringify(refused));

  // Control: the same certificate as a trust would have installed it (P,,), in a new browser
  // context (a fresh certificate verifier, docs/browser-behaviour.md §6): the public name loads
  // as a secure page, which is what the refusal prevents.
  const pem = join(sandbox.dir, 'rogue.pem');
  writeFileSync(pem, device.pem);
  execFileSync('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', 'scope-control', '-t', 'P,,', '-i', pem]);
  const context = await run.browser.createBrowserContext();
  const controlPage = await context.newPage();
  const control = await outcome(controlPage, url);
  assert.equal(control.result, 'secure', JSON.stringify(control));
  console.log(`# chromium: ${PUBLIC_NAME} untrusted -> ${refused.result}; with the rogue certificate trusted -> ${control.result}`);
});

// Firefox without the extension, `prefs` beside the test profile's (tests/lib/browser_options.mjs).
async function launchFirefoxWith(sandbox, prefs) {
  return (await launchFirefox(sandbox, { extension: false, extraPrefs: prefs })).browser;
}

test('Firefox: the public name does not load securely; anchored, it would', async () => {
  // network.dns.localDomains answers with 127.0.0.1: the device listens there.
  const device = await startPrinter({ address: '127.0.0.1', shape: 'too-broad' });
  cleanups.push(() => device.stop());
  const port = new URL(device.url).port;
  const url = `https://${PUBLIC_NAME}:${port}/`;
  const prefs = { 'network.dns.localDomains': PUBLIC_NAME };

  const sandbox = makeSandbox('firefox', { withHost: false, name: 'scope' });
  cleanups.push(() => sandbox.remove());
  // The host refuses it whatever the store (checked against Firefox's databases in
  // tests/integration/scope.test.mjs); here the person's profile has never received it.
  const trusted = hostTrust(sandbox, device);
  assert.notEqual(trusted.status, 0, trusted.output);
  assert.match(trusted.output, /certificate_too_broad/);
  const browser = await launchFirefoxWith(sandbox, prefs);
  cleanups.push(() => browser.close().catch(() => {}));
  const page = await browser.newPage();
  const refused = await outcome(page, url);
  assert.equal(refused.result, 'error', JSON.stringify(refused));
  const profileList = certutilList(sandbox.profile);
  assert.doesNotMatch(profileList, /certutil failed/);
  assert.equal(profileList.split('\n').slice(4).join('').trim(), '', `the profile holds nothing: ${profileList}`);

  // Control: a profile where the certificate was anchored before start (C,,, what a trust
  // into Firefox writes): the public name loads securely.
  const controlBox = makeSandbox('firefox', { withHost: false, name: 'scope-control' });
  cleanups.push(() => controlBox.remove());
  const pem = join(controlBox.dir, 'rogue.pem');
  writeFileSync(pem, device.pem);
  execFileSync('certutil', ['-N', '-d', `sql:${controlBox.profile}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${controlBox.profile}`, '-n', 'scope-control', '-t', 'C,,', '-i', pem]);
  const controlBrowser = await launchFirefoxWith(controlBox, prefs);
  cleanups.push(() => controlBrowser.close().catch(() => {}));
  const control = await outcome(await controlBrowser.newPage(), url);
  assert.equal(control.result, 'secure', JSON.stringify(control));
  console.log(`# firefox: ${PUBLIC_NAME} untrusted -> ${refused.result}; with the rogue certificate anchored -> ${control.result}`);
});
