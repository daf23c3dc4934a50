// Where the things under test are.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// CTest passes every path; by hand, EPOS_BUILD_DIR names the build (default: build/, as scripts/build.sh).
const build = process.env.EPOS_BUILD_DIR ?? join(root, 'build');

export const paths = {
  root,
  host: process.env.EPOS_TRUST_BIN ?? join(build, 'host', 'epos-trust'),
  emulator: process.env.EPOS_EMULATOR_BIN ?? join(build, 'tests', 'emulator', 'epos-emulator'),
  extension: process.env.EPOS_EXTENSION_DIST ?? join(build, 'extension'),
  flushModule: process.env.EPOS_FLUSH_MODULE ?? join(build, 'host', 'pkcs11', 'libepos_trust_flush.so'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
};

export function requireBuilt() {
  for (const key of ['host', 'emulator', 'flushModule']) {
    if (!existsSync(paths[key])) throw new Error(`${key} not built: ${paths[key]}`);
  }
  for (const target of ['chrome', 'firefox']) {
    if (!existsSync(join(paths.extension, target, 'manifest.json'))) {
      throw new Error(`extension not built: ${join(paths.extension, target)}`);
    }
  }
}
