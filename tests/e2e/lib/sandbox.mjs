// A fresh HOME, browser profile and native messaging set-up per browser run (FACTS.md 1, 2): the
// host manifests are made from the templates in manifests/, exactly as an install would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paths } from './paths.mjs';

export const HOST_NAME = 'com.epos_trust.host';

function hostManifest(browser) {
  const template = readFileSync(join(paths.root, 'manifests', `${HOST_NAME}.${browser}.json.in`), 'utf8');
  return template.replaceAll('@EPOS_HOST_PATH@', paths.host);
}

// browser: 'chrome' or 'firefox'; withHost: false leaves the host uninstalled (scenario f).
export function makeSandbox(browser, { withHost = true, name = 'run' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `epos-e2e-${browser}-${name}-`));
  const home = join(dir, 'home');
  const profile = join(dir, 'profile');
  mkdirSync(home, { recursive: true });
  mkdirSync(profile, { recursive: true });
  if (withHost) {
    // Chromium reads user-level manifests from <user-data-dir>/NativeMessagingHosts when
    // --user-data-dir is given; Firefox from ~/.mozilla/native-messaging-hosts (FACTS.md 2).
    const nmDir =
      browser === 'chrome' ? join(profile, 'NativeMessagingHosts') : join(home, '.mozilla', 'native-messaging-hosts');
    mkdirSync(nmDir, { recursive: true });
    writeFileSync(join(nmDir, `${HOST_NAME}.json`), hostManifest(browser));
  }
  const env = { ...process.env, HOME: home };
  for (const key of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR']) delete env[key];
  return {
    dir,
    home,
    profile,
    env,
    // The host's own CLI in this sandbox (same HOME, so the same journal and databases).
    hostCli: (...args) => JSON.parse(execFileSync(paths.host, [...args, '--json'], { env, encoding: 'utf8' })),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Installs the Firefox pkcs11 module manifest the host's trust-cache flush needs (FACTS.md 6).
export function installFlushModule(sandbox, { name, path }) {
  const dir = join(sandbox.home, '.mozilla', 'pkcs11-modules');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.json`),
    JSON.stringify({
      name,
      description: 'epos-trust trust-cache flush (no-op module)',
      path,
      type: 'pkcs11',
      allowed_extensions: ['epos-trust@epos-trust.org'],
    }),
  );
}

// certutil (Debian's libnss3-tools) as the test oracle of what a database holds.
export function certutilList(dbDir) {
  try {
    return execFileSync('certutil', ['-L', '-d', `sql:${dbDir}`], { encoding: 'utf8' });
  } catch (e) {
    return `certutil failed: ${e.message}`;
  }
}
