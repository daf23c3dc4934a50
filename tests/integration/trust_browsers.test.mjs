// Trust, end to end: `epos-trust trust https://127.0.0.1:PORT --sha256 FP --yes`, then a real
// headless Chromium / Firefox ESR opening that URL loads it securely (a certificate that browser
// has never seen), and `untrust` takes it away again. Real browsers (puppeteer-core, docs/browser-behaviour.md §2),
// real NSS databases made by the browsers themselves, the real binary, the bundled emulator; all
// inside a private network namespace that has only loopback (docs/browser-behaviour.md §1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserEnv, CHROMIUM_TEST_FLAGS, firefoxTestPrefs } from '../lib/browser_options.mjs';
import { isolated, rerunIsolated } from '../lib/isolation.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';
import { teardownAfterFile } from '../lib/teardown.mjs';

const CHROMIUM = '/usr/bin/chromium';
const FIREFOX = '/usr/bin/firefox-esr';

if (!isolated({ net: true })) {
  // Re-run this file in a loopback-only network namespace (root; CI runs as root), so that
  // nothing either browser does on its own can leave the machine. Both browser tests must really
  // run and pass (none skipped).
  test('trust then secure page in Chromium and Firefox (in a loopback-only network)', () =>
    rerunIsolated(import.meta.url, { net: true }, { expected: 2 }));
} else {
  const { default: puppeteer } = await import('puppeteer-core');
  const { runCli } = await import('../lib/host.mjs');

  const { defer, emulator } = teardownAfterFile();

  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'epos-trust-browser-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const certutilList = (db) => spawnSync('certutil', ['-L', '-d', `sql:${db}`], { encoding: 'utf8' }).stdout;

  // The environment of one person: a fresh HOME, and epos-trust's journal inside it.
  const personEnv = (home) => {
    return scratchEnv(home, { stateDir: join(home, 'state') });
  };

  // Opens `url` in a fresh browser process; returns {secure, title, error}. "secure" means the
  // printer's own page arrived: with an untrusted certificate neither browser sends the request.
  async function visit(browserName, url, home, userDataDir) {
    const options =
      browserName === 'chrome'
        ? { executablePath: CHROMIUM, headless: true, args: CHROMIUM_TEST_FLAGS, userDataDir,
            env: browserEnv(home, { EPOS_TRUST_STATE_DIR: join(home, 'state') }) }
        : { browser: 'firefox', executablePath: FIREFOX, headless: true, userDataDir,
            extraPrefsFirefox: firefoxTestPrefs(),
            env: browserEnv(home, { EPOS_TRUST_STATE_DIR: join(home, 'state') }) };
    const browser = await puppeteer.launch(options);
    try {
      const page = await browser.newPage();
      let response = null;
      let error = null;
      try {
        response = await page.goto(url, { waitUntil: 'load', timeout: 15000 });
      } catch (e) {
        error = e.message;
      }
      const title = await page.title().catch(() => '');
      const secure = !error && response !== null && response.status() === 200 && title.includes('Web Config');
      return { secure, title, error };
    } finally {
      await browser.close();
    }
  }

  test('Chromium: trust via the CLI gives a secure page at once, untrust takes it away', async () => {
    const home = scratch();
    const env = personEnv(home);
    // Let Chromium make its own database (docs/browser-behaviour.md §5: never create one), by visiting another
    // printer: the one under test stays unseen by this browser until it is trusted.
    const other = await emulator({ address: '127.0.0.2' });
    const warmup = await visit('chrome', other.url, home, join(home, 'profile-0'));
    assert.equal(warmup.secure, false, 'an untrusted printer must not load securely');
    const db = join(home, '.local/share/pki/nssdb');
    assert.ok(existsSync(join(db, 'cert9.db')), 'Chromium made no NSS database');

    const printer = await emulator({ address: '127.0.0.1' });
    const trusted = await runCli(['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json'], { env });
    assert.equal(trusted.status, 0, trusted.stderr + trusted.stdout);
    const result = JSON.parse(trusted.stdout);
    const chromeStore = result.stores.find((s) => s.location === db);
    assert.ok(chromeStore, `Chromium's database not among ${JSON.stringify(result.stores)}`);
    assert.equal(chromeStore.outcome, 'installed');
    assert.equal(chromeStore.trust, 'trusted_peer');
    assert.equal(chromeStore.effective, 'now');
    assert.match(certutilList(db), /epos-trust 127\.0\.0\.1 \S+\s+P,,/);

    const after = await visit('chrome', printer.url, home, join(home, 'profile-1'));
    assert.equal(after.secure, true, `not secure after trust: ${after.error} (${after.title})`);

    const untrusted = await runCli(['untrust', '--sha256', printer.sha256, '--json'], { env });
    assert.equal(untrusted.status, 0, untrusted.stderr);
    assert.ok(JSON.parse(untrusted.stdout).stores.every((s) => s.outcome === 'removed'));
    assert.doesNotMatch(certutilList(db), /epos-trust/);
    const gone = await visit('chrome', printer.url, home, join(home, 'profile-2'));
    assert.equal(gone.secure, false, 'still secure after untrust');
    assert.match(gone.error ?? '', /ERR_CERT_AUTHORITY_INVALID/);
  });

  test('Firefox ESR: trust into the profile it made gives a secure page, untrust takes it away', async () => {
    const home = scratch();
    const env = personEnv(home);
    // A profile where the locator looks for them (docs/browser-behaviour.md §5), made by Firefox itself.
    const profile = join(home, '.mozilla/firefox/epos.default');
    mkdirSync(profile, { recursive: true });
    const other = await emulator({ address: '127.0.0.3' });
    const warmup = await visit('firefox', other.url, home, profile);
    assert.equal(warmup.secure, false, 'an untrusted printer must not load securely');
    assert.ok(existsSync(join(profile, 'cert9.db')), 'Firefox made no cert9.db');

    const printer = await emulator({ address: '127.0.0.1' });
    const trusted = await runCli(
      ['trust', printer.url, '--sha256', printer.sha256, '--yes', '--browser', 'firefox', '--json'],
      { env },
    );
    assert.equal(trusted.status, 0, trusted.stderr + trusted.stdout);
    const result = JSON.parse(trusted.stdout);
    assert.equal(result.stores.length, 1);
    assert.equal(result.stores[0].location, profile);
    assert.equal(result.stores[0].outcome, 'installed');
    assert.equal(result.stores[0].trust, 'anchor');
    assert.equal(result.stores[0].effective, 'after_flush');
    assert.equal(result.firefox_flush_module, 'epos_trust_flush');

    const after = await visit('firefox', printer.url, home, profile);
    assert.equal(after.secure, true, `not secure after trust: ${after.error} (${after.title})`);

    const listed = await runCli(['list', '--json'], { env });
    assert.deepEqual(
      JSON.parse(listed.stdout).entries.map((e) => [e.sha256, e.location, e.present]),
      [[printer.sha256, profile, true]],
    );
    const untrusted = await runCli(['untrust', '--sha256', printer.sha256, '--json'], { env });
    assert.equal(untrusted.status, 0, untrusted.stderr);
    assert.deepEqual(JSON.parse(untrusted.stdout).stores.map((s) => s.outcome), ['removed']);
    const gone = await visit('firefox', printer.url, home, profile);
    assert.equal(gone.secure, false, 'still secure after untrust');
  });
}
