// One browser run of a suite, and its oracles: a fresh sandbox (tests/e2e/lib/sandbox.mjs), the
// browser with the built extension, Chromium's NSS database made before the printers under test
// are met, and what epos-trust installed read back by certutil and the host's own list. Shared
// by the scenario modules (scenarios.mjs, check_guard_scenarios.mjs, public_pos.mjs).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { extensionPage, launch } from './browsers.mjs';
import { startPrinter } from './emulator.mjs';
import { paths } from './paths.mjs';
import { certutilList, makeSandbox } from './sandbox.mjs';

// Loopback stands in for the shop network in tests (docs/browser-behaviour.md §1); a real printer is on 'private'.
export const TEST_NETWORKS = ['loopback', 'private'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The database the host writes for this browser in the sandbox (certutil reads it as the oracle).
export function databaseOf(kind, sandbox) {
  return kind === 'chrome' ? join(sandbox.home, '.local', 'share', 'pki', 'nssdb') : sandbox.profile;
}

// What epos-trust installed, by the two oracles: certutil on the browser's database and the
// host's journal (`list`). Chromium makes its database only at its first verification of an
// unknown certificate: no database yet = nothing in it.
export function installed(kind, sandbox) {
  const db = databaseOf(kind, sandbox);
  const nss = existsSync(join(db, 'cert9.db')) ? certutilList(db) : '';
  return {
    nss: nss.split('\n').filter((l) => /epos-trust/.test(l)),
    journal: sandbox.hostCli('list').entries,
  };
}

export function assertNothingInstalled(kind, sandbox, what = '') {
  const now = installed(kind, sandbox);
  assert.deepEqual(now.nss, [], `${what}: a certificate in the browser's database: ${now.nss}`);
  assert.deepEqual(now.journal, [], `${what}: the host's journal has ${JSON.stringify(now.journal)}`);
}

// Chromium makes its NSS database at its first verification of a certificate the built-in roots
// do not know, not at start (measured here with Chromium 156 headless); a real profile has one
// long before it meets a printer. Let it meet another, throwaway printer first (127.0.0.2) with a
// fetch (not a navigation, which the pre-connection check would catch), so that the printers
// under test stay never-seen.
export async function warmUp(run, sandbox) {
  if (run.kind !== 'chrome') return;
  const other = await startPrinter({ address: '127.0.0.2' });
  try {
    const page = await extensionPage(run);
    await page.evaluate((u) => fetch(u).catch(() => 'rejected, as it should'), other.url);
    await page.close();
    const db = join(databaseOf('chrome', sandbox), 'cert9.db');
    for (let i = 0; i < 50 && !existsSync(db); i += 1) await sleep(50);
    assert.ok(existsSync(db), 'Chromium made no NSS database');
  } finally {
    other.stop();
  }
}

// `body({run, sandbox})` in a fresh sandbox and browser, both gone afterwards. withHost: false
// leaves the host uninstalled; extensionDir: another build of the extension (a test's variant).
export async function withBrowser(kind, { name, withHost = true, launchOptions = {}, extensionDir }, body) {
  const sandbox = makeSandbox(kind, { name, withHost });
  let run;
  const saved = paths.extension;
  if (extensionDir) paths.extension = extensionDir;
  try {
    run = await launch(kind, sandbox, launchOptions);
  } catch (e) {
    sandbox.remove();
    throw e;
  } finally {
    paths.extension = saved;
  }
  try {
    await warmUp(run, sandbox);
    return await body({ run, sandbox });
  } finally {
    await run.browser.close().catch(() => {});
    sandbox.remove();
  }
}
