// Managed policy for the extension, written where each browser reads it on Linux
// (docs/browser-behaviour.md §6): Chromium /etc/chromium/policies/managed/*.json ("3rdparty" extension policy),
// Firefox /etc/firefox/policies/policies.json ("3rdparty"). Only ever inside run-isolated.sh's
// private overlay of /etc: the real /etc is never written.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { CHROME_ID, FIREFOX_ID } from '../../../extension/manifest.mjs';
import { isolated } from '../../lib/isolation.mjs';

const CHROMIUM_FILE = '/etc/chromium/policies/managed/epos-trust-e2e.json';
const FIREFOX_FILE = '/etc/firefox/policies/policies.json';

function requireIsolated() {
  if (!isolated({ overlay: '/etc' })) {
    throw new Error('policy tests write /etc: run them through tests/e2e/run-isolated.sh');
  }
}

export function writeExtensionPolicy(kind, values) {
  requireIsolated();
  if (kind === 'chrome') {
    mkdirSync('/etc/chromium/policies/managed', { recursive: true });
    writeFileSync(CHROMIUM_FILE, JSON.stringify({ '3rdparty': { extensions: { [CHROME_ID]: values } } }));
  } else {
    mkdirSync('/etc/firefox/policies', { recursive: true });
    writeFileSync(FIREFOX_FILE, JSON.stringify({ policies: { '3rdparty': { Extensions: { [FIREFOX_ID]: values } } } }));
  }
}

export function removeExtensionPolicy(kind) {
  requireIsolated();
  rmSync(kind === 'chrome' ? CHROMIUM_FILE : FIREFOX_FILE, { force: true });
}
