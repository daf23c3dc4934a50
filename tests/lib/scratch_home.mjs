// The one way a test gives the host (and a browser) a home of its own. Everything that could lead
// to the person's real files is pointed inside the scratch folder: HOME, every XDG base directory
// (a machine with XDG_STATE_HOME set would otherwise see a test write its real journal) and the
// host's state folder. The paths are the XDG defaults under the scratch HOME, so a test that
// looks for "~/.local/share/pki/nssdb" or "~/.local/state/epos-trust" finds what the host wrote.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every variable that names a per-user folder the host or a browser reads or writes.
export const USER_DIR_VARIABLES = [
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'XDG_CACHE_HOME',
  'XDG_RUNTIME_DIR',
  'EPOS_TRUST_STATE_DIR',
];

// The environment for a program living in `home`: `base` (default: nothing of the caller's, so
// no variable leaks in unless asked for) without any of USER_DIR_VARIABLES, then HOME, the XDG
// folders under it, and EPOS_TRUST_STATE_DIR (`stateDir`, default ~/.local/state/epos-trust).
// The folders are created (XDG_RUNTIME_DIR with mode 0700, as the specification asks), unless
// `create: false` (a test that checks nothing at all was written in the HOME).
export function scratchEnv(home, { base = {}, stateDir, extra = {}, create = true } = {}) {
  const env = { ...base };
  for (const key of USER_DIR_VARIABLES) delete env[key];
  const dirs = {
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: join(home, '.run'),
  };
  if (create) {
    mkdirSync(home, { recursive: true });
    for (const [key, dir] of Object.entries(dirs)) {
      mkdirSync(dir, { recursive: true, mode: key === 'XDG_RUNTIME_DIR' ? 0o700 : 0o755 });
    }
  }
  return {
    ...env,
    HOME: home,
    ...dirs,
    EPOS_TRUST_STATE_DIR: stateDir ?? join(dirs.XDG_STATE_HOME, 'epos-trust'),
    ...extra,
  };
}

// A new scratch folder with a home inside: { dir, home, env, remove }. `inherit: true` starts from
// the caller's environment (PATH, DISPLAY-less browser variables ...) instead of an empty one.
export function makeScratchHome(prefix = 'epos-test', { inherit = false, stateDir, extra } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const home = join(dir, 'home');
  const env = scratchEnv(home, { base: inherit ? process.env : {}, stateDir, extra });
  return { dir, home, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
