// The package, end to end: `dpkg -i` of the built .deb, then a real headless Chromium with the
// installed extension trusts the emulator with no other set-up step (a pinned fingerprint in the
// managed policy, written by the installed `epos-trust export-policy`: no prompt at all), then
// `dpkg -r` leaves nothing behind.
// The real machine is never changed: the install happens in a private mount namespace whose /etc,
// /usr and /var are overlays (writes land in a scratch folder), with a loopback-only network
// (docs/browser-behaviour.md §1). Needs root, unshare, chromium, cpack and the npm project's puppeteer-core.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isolated, runnerArgs, RUNNER } from '../lib/isolation.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
const HOST_BIN = process.env.EPOS_TRUST_BIN;
const PACKAGED_HOST = '/usr/libexec/epos-trust/epos-trust';

// Every file (not folder) below `dir`, relative to it.
function filesBelow(dir, prefix = '') {
  const out = [];
  for (const name of readdirSync(dir)) {
    const rel = join(prefix, name);
    const stat = lstatSync(join(dir, name));
    if (stat.isDirectory()) out.push(...filesBelow(join(dir, name), rel));
    else out.push(rel);
  }
  return out;
}

if (!isolated({ net: true, overlay: '/usr' })) {
  test('the .deb installs, serves a real Chromium and removes cleanly, in a private mount namespace', () => {
    assert.equal(process.getuid(), 0, 'this test installs a package (in a namespace): run it as root, as CI does');
    assert.ok(!existsSync(PACKAGED_HOST), 'epos-trust is installed on this machine for real: remove it first');
    const build = dirname(dirname(HOST_BIN));
    const scratch = mkdtempSync(join(tmpdir(), 'epos-package-'));
    try {
      execFileSync('cpack', ['-G', 'DEB', '-B', join(scratch, 'cpack')], { cwd: build, stdio: 'ignore' });
      const deb = readdirSync(join(scratch, 'cpack')).find((f) => f.endsWith('.deb'));
      assert.ok(deb, 'cpack made no .deb');
      // A fresh test runner inside (node:test refuses to nest when it sees its parent's context).
      const env = { ...process.env };
      delete env.NODE_TEST_CONTEXT;
      const inner = spawnSync(
        RUNNER,
        [
          ...runnerArgs({ net: true, overlays: ['/etc', '/usr', '/var'] }),
          '--keep', scratch,
          '--', process.execPath, '--test', '--test-reporter=spec', THIS_FILE,
        ],
        {
          env: {
            ...env,
            EPOS_DEB: join(scratch, 'cpack', deb),
            EPOS_TRUST_BIN: '/usr/bin/epos-trust',
            EPOS_EXTENSION_DIST: '/usr/share/epos-trust/extension',

          },
          encoding: 'utf8',
          timeout: 240000,
        },
      );
      const output = `${inner.stdout}${inner.stderr}`;
      console.log(output);
      assert.equal(inner.status, 0, `the isolated install test failed:\n${output}`);
      // Every step ran and passed (none skipped, none left out).
      assert.match(output, /pass 4\b/);
      assert.match(output, /skipped 0\b/);

      // After dpkg -r, what is left in the overlays that the real system does not have: nothing.
      // (Files the real system has, e.g. /etc/ld.so.cache rewritten by ldconfig, are changes
      // of existing files, not leftovers.)
      const leftovers = [];
      for (const d of ['etc', 'usr']) {
        for (const rel of filesBelow(join(scratch, d, 'upper'))) {
          if (!existsSync(join('/', d, rel))) leftovers.push(join('/', d, rel));
        }
      }
      const dpkgInfo = join(scratch, 'var', 'upper', 'lib', 'dpkg', 'info');
      if (existsSync(dpkgInfo)) {
        leftovers.push(...readdirSync(dpkgInfo).filter((f) => f.startsWith('epos-trust.')).map((f) => join(dpkgInfo, f)));
      }
      assert.deepEqual(leftovers, [], 'files left behind after dpkg -r');
      assert.ok(!existsSync(PACKAGED_HOST), 'the real machine was changed');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
} else {
  const deb = process.env.EPOS_DEB;
  describe('installed .deb (inside the namespace)', () => {
    let packageFiles = [];

    test('dpkg -i installs it with no other step', () => {
      execFileSync('dpkg', ['-i', deb], { stdio: 'ignore' });
      packageFiles = execFileSync('dpkg', ['-L', 'epos-trust'], { encoding: 'utf8' }).trim().split('\n');
      assert.ok(packageFiles.includes(PACKAGED_HOST));
      assert.match(execFileSync('/usr/bin/epos-trust', ['--version'], { encoding: 'utf8' }), /^epos-trust /);
    });

    test('doctor: the per-machine manifests point at the installed host', () => {
      const home = mkdtempSync(join(tmpdir(), 'epos-package-home-'));
      try {
        const r = spawnSync('/usr/bin/epos-trust', ['doctor', '--json'], { env: scratchEnv(home, { base: process.env }), encoding: 'utf8' });
        const report = JSON.parse(r.stdout);
        assert.equal(report.host.path, PACKAGED_HOST);
        assert.equal(report.host.flush_module, '/usr/libexec/epos-trust/libepos_trust_flush.so');
        const chromium = report.browsers.find((b) => b.id === 'chromium');
        assert.equal(chromium.host_reachable, true);
        const system = chromium.manifests.find((m) => m.scope === 'system');
        assert.equal(system.state, 'ok');
        assert.equal(system.points_to, PACKAGED_HOST);
        const firefox = report.browsers.find((b) => b.id === 'firefox');
        assert.equal(firefox.manifests.find((m) => m.scope === 'system' && m.kind === 'pkcs11').state, 'ok');
        assert.equal(firefox.flush_module_registered, true);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });

    test('a real Chromium with the installed extension trusts a pinned printer: no prompt, no warning', async () => {
      const { launchChromium, extensionPage } = await import('../e2e/lib/browsers.mjs');
      const { startPrinter } = await import('../e2e/lib/emulator.mjs');
      const { startNavigation, waitForPrinterPage } = await import('../e2e/lib/pages.mjs');
      const { makeSandbox, certutilList } = await import('../e2e/lib/sandbox.mjs');
      const printer = await startPrinter({ address: '127.0.0.41' });
      const other = await startPrinter({ address: '127.0.0.42' });
      // The fleet path: the installed host inspects the printer and writes the
      // pinned-fingerprint policy itself (/etc is an overlay here).
      const policyFile = '/etc/chromium/policies/managed/epos-trust-pins.json';
      mkdirSync(dirname(policyFile), { recursive: true });
      execFileSync('/usr/bin/epos-trust', ['export-policy', printer.url, '--format', 'chrome', '--out', policyFile]);
      assert.deepEqual(
        JSON.parse(readFileSync(policyFile, 'utf8'))['3rdparty'].extensions.fmkalmmejklplbcdonjleedaiepfagbf.pinnedFingerprints,
        [printer.sha256],
      );
      // No per-user manifest: only the package's /etc/chromium/native-messaging-hosts can start the host.
      const sandbox = makeSandbox('chrome', { withHost: false, name: 'package' });
      const run = await launchChromium(sandbox);
      try {
        // Chromium makes its NSS database at its first unknown certificate (tests/e2e/lib/scenarios.mjs).
        const warm = await extensionPage(run);
        await warm.evaluate((u) => fetch(u).catch(() => 'rejected'), other.url);
        const db = join(sandbox.home, '.local', 'share', 'pki', 'nssdb');
        for (let i = 0; i < 60 && !existsSync(join(db, 'cert9.db')); i += 1) await new Promise((r) => setTimeout(r, 50));
        assert.ok(existsSync(join(db, 'cert9.db')), 'Chromium made no NSS database');
        // The managed policy reaches the extension seconds after start.
        await warm.waitForFunction(
          async (fp) => {
            const reply = await chrome.runtime.sendMessage({ type: 'settings' });
            if (!reply?.value?.pinned?.includes(fp)) return false;
            const rules = await chrome.declarativeNetRequest.getSessionRules();
            return rules.some((r) => r.action.type === 'redirect' && r.condition.regexFilter.includes('127'));
          },
          { polling: 100, timeout: 15000 },
          printer.sha256,
        );
        const page = await run.browser.newPage();
        const seen = [];
        page.on('framenavigated', (frame) => frame === page.mainFrame() && seen.push(frame.url()));
        startNavigation(page, `${printer.url}/`);
        await waitForPrinterPage(page, printer.url, { timeoutMs: 20000 });
        assert.equal(await page.$('#trust'), null, 'a prompt was shown');
        assert.ok(!seen.some((u) => u.startsWith('chrome-error:')), `a warning page was shown: ${seen}`);
        assert.match(certutilList(db), /epos-trust 127\.0\.0\.41 \S+\s+P,,/);
        const list = JSON.parse(execFileSync('/usr/bin/epos-trust', ['list', '--json'], { env: sandbox.env, encoding: 'utf8' }));
        assert.ok(list.entries.some((e) => e.sha256 === printer.sha256), 'the installed host journaled no trust');
      } finally {
        await run.browser.close().catch(() => {});
        rmSync(policyFile, { force: true });
        sandbox.remove();
        printer.stop();
        other.stop();
      }
    });

    test('dpkg -r removes every file of the package', () => {
      assert.ok(packageFiles.length > 10);
      execFileSync('dpkg', ['-r', 'epos-trust'], { stdio: 'ignore' });
      const left = packageFiles.filter((f) => {
        try {
          return !lstatSync(f).isDirectory();
        } catch {
          return false;
        }
      });
      assert.deepEqual(left, []);
      const status = spawnSync('dpkg', ['-s', 'epos-trust'], { encoding: 'utf8' });
      assert.notEqual(status.status, 0, `dpkg still knows the package: ${status.stdout}`);
    });
  });
}
