// A fresh HOME, browser profile and native messaging set-up per browser run (docs/browser-behaviour.md §1, §2): the
// host manifests are made from the templates in manifests/, exactly as an install would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratchHome } from '../../lib/scratch_home.mjs';
import { paths } from './paths.mjs';

export const HOST_NAME = 'com.epos_trust.host';

function hostManifest(browser) {
  const template = readFileSync(join(paths.root, 'manifests', `${HOST_NAME}.${browser}.json.in`), 'utf8');
  return template.replaceAll('@EPOS_HOST_PATH@', paths.host);
}

// browser: 'chrome' or 'firefox'; withHost: false leaves the host uninstalled (scenario f).
// The HOME and its environment are tests/lib/scratch_home.mjs's (every XDG folder and the host's
// state folder inside it, the journal too); the profile sits beside the HOME.
export function makeSandbox(browser, { withHost = true, name = 'run' } = {}) {
  const { dir, home, env, remove } = makeScratchHome(`epos-e2e-${browser}-${name}`, { inherit: true });
  const profile = join(dir, 'profile');
  mkdirSync(profile, { recursive: true });
  if (withHost) {
    // Chromium reads user-level manifests from <user-data-dir>/NativeMessagingHosts when
    // --user-data-dir is given; Firefox from ~/.mozilla/native-messaging-hosts (docs/browser-behaviour.md §2).
    const nmDir =
      browser === 'chrome' ? join(profile, 'NativeMessagingHosts') : join(home, '.mozilla', 'native-messaging-hosts');
    mkdirSync(nmDir, { recursive: true });
    writeFileSync(join(nmDir, `${HOST_NAME}.json`), hostManifest(browser));
    if (browser === 'firefox') installFlushModule(home);
  }
  return {
    dir,
    home,
    profile,
    env,
    // The host's own CLI in this sandbox (same HOME, so the same journal and databases).
    hostCli: (...args) => JSON.parse(execFileSync(paths.host, [...args, '--json'], { env, encoding: 'utf8' })),
    remove,
  };
}

// The Firefox pkcs11 module manifest of the host's trust-cache flush (docs/browser-behaviour.md §6), from its
// template in manifests/, in ~/.mozilla/pkcs11-modules as a user-level install puts it.
function installFlushModule(home) {
  const template = readFileSync(join(paths.root, 'manifests', 'epos_trust_flush.pkcs11.json.in'), 'utf8');
  const dir = join(home, '.mozilla', 'pkcs11-modules');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'epos_trust_flush.json'), template.replaceAll('@EPOS_FLUSH_MODULE_PATH@', paths.flushModule));
}

// certutil (Debian's libnss3-tools) as the test oracle of what a database holds.
export function certutilList(dbDir) {
  try {
    return execFileSync('certutil', ['-L', '-d', `sql:${dbDir}`], { encoding: 'utf8' });
  } catch (e) {
    return `certutil failed: ${e.message}`;
  }
}
