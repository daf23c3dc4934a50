// A browser holding its NSS database open while the host writes it: a
// real headless Chromium and a real Firefox ESR (docs/browser-behaviour.md §1/§2 flags and prefs) keep running with
// their own database open; epos-trust trusts, untrusts and trusts again a printer the browser has
// never seen. Each write succeeds, the RUNNING browser then loads the printer securely (it reads
// the database it holds open), and after the browser exits the database opens with certutil and
// passes SQLite's integrity check. Inside `unshare -n` with loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { teardownAfterFile } from '../lib/teardown.mjs';
import { browserEnv, CHROMIUM_TEST_FLAGS, firefoxTestPrefs } from '../lib/browser_options.mjs';
import { inside, integrity, makeMachine, ownEntries, reexecInside } from './lib/machine.mjs';

if (!inside()) {
  test('browsers holding their database open (inside unshare -n)', () => reexecInside(import.meta.url, ['-n'], 2));
} else {
  const { default: puppeteer } = await import('puppeteer-core');
  const { runCli } = await import('../lib/host.mjs');

  const { defer, emulator } = teardownAfterFile();

  // Pids of processes that hold `file` open (the browser, or its network service).
  function holders(file) {
    const pids = [];
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      let fds = [];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) {
            pids.push(Number(pid));
            break;
          }
        } catch {
          // closed meanwhile
        }
      }
    }
    return pids;
  }

  async function secure(browser, url) {
    const page = await browser.newPage();
    try {
      const response = await page.goto(url, { waitUntil: 'load', timeout: 15000 }).catch(() => null);
      const title = await page.title().catch(() => '');
      return response !== null && response.status() === 200 && title.includes('Web Config');
    } finally {
      await page.close();
    }
  }

  // Starts `launch`, waits until some process holds `db`/cert9.db, runs trust/untrust/trust of a
  // printer the browser has never seen while it runs, and checks the running browser sees it.
  async function whileOpen({ m, db, launch, cliExtra, expectSecure }) {
    const printer = await emulator(expectSecure.address);
    const browser = await launch();
    let closed = false;
    defer(() => (closed ? undefined : browser.close()));
    // Make the browser use its database (a certificate error consults it) and keep it open.
    const warm = await emulator(expectSecure.warmAddress);
    assert.equal(await secure(browser, warm.url), false, 'an untrusted printer loaded securely');
    const certDb = join(db, 'cert9.db');
    assert.ok(holders(certDb).length > 0, `no browser process holds ${certDb} open`);

    const trust = ['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json', ...cliExtra];
    for (const args of [trust, ['untrust', '--sha256', printer.sha256, '--json'], trust]) {
      const run = await runCli(args, { env: m.env, timeoutMs: 60000 });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      const store = JSON.parse(run.stdout).stores.find((s) => s.location === db);
      assert.equal(store.outcome, args[0] === 'trust' ? 'installed' : 'removed', JSON.stringify(store));
    }
    assert.ok(holders(certDb).length > 0, 'the browser let go of its database');
    assert.equal(await secure(browser, printer.url), true, 'the running browser does not see the entry');
    await browser.close();
    closed = true;
    integrity(db);
    assert.equal(ownEntries(db).length, 1, JSON.stringify(ownEntries(db)));
  }

  test('Chromium running with ~/.local/share/pki/nssdb open: writes succeed, it loads the printer securely', async () => {
    const m = makeMachine({ firefoxProfiles: 0 });
    defer(m.remove);
    // Chromium makes its own database at start (docs/browser-behaviour.md §5): take certutil's away first.
    rmSync(m.chromium, { recursive: true });
    await whileOpen({
      m,
      db: m.chromium,
      cliExtra: ['--browser', 'chrome'],
      expectSecure: { address: '127.0.0.111', warmAddress: '127.0.0.112' },
      launch: () =>
        puppeteer.launch({
          executablePath: '/usr/bin/chromium',
          headless: true,
          args: CHROMIUM_TEST_FLAGS,
          userDataDir: join(m.home, 'chromium-profile'),
          env: browserEnv(m.home),
        }),
    });
  });

  test('Firefox ESR running with its profile open: writes succeed, it loads the printer securely', async () => {
    const m = makeMachine({ firefoxProfiles: 0 });
    defer(m.remove);
    const profile = join(m.home, '.mozilla/firefox/running.default');
    mkdirSync(profile, { recursive: true });
    await whileOpen({
      m,
      db: profile,
      cliExtra: ['--browser', 'firefox'],
      expectSecure: { address: '127.0.0.113', warmAddress: '127.0.0.114' },
      launch: () =>
        puppeteer.launch({
          browser: 'firefox',
          executablePath: '/usr/bin/firefox-esr',
          headless: true,
          userDataDir: profile,
          extraPrefsFirefox: firefoxTestPrefs(),
          env: browserEnv(m.home),
        }),
    });
  });
}
