// The shop's real topology in a test (docs/browser-behaviour.md §9): the POS page comes from an
// origin that counts as PUBLIC (Odoo Online, odoo.sh) and the printer is on a LOCAL address, so
// both browsers' Local Network Access gate stands between the page and the printer, with the
// person's local-network permission granted, denied or unanswered.
//
// How each state is made, as measured here (tests/e2e/measure_lna.mjs):
// - Address spaces. Chromium: `--ip-address-space-overrides=127.0.0.1:<pos>=public,<printer ip:port>=local`
//   (keyed on the endpoint, so the POS is loaded as 127.0.0.1, never `localhost`). Firefox:
//   `network.lna.address_space.public.override` / `.private.override`, each a comma-separated
//   list of `ip:port`. Without them every 127.0.0.x is loopback to loopback and nothing is gated.
// - Chromium granted: CDP `Browser.setPermission` `local-network` = granted shows as "granted" to
//   navigator.permissions.query but does NOT lift the block in Chromium 156 headless
//   (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS either way); the managed policy
//   `LocalNetworkAccessAllowedForUrls` does. So "granted" writes that policy (inside
//   run-isolated.sh's private /etc overlay) and also sets the CDP permission.
// - Chromium denied: CDP `Browser.setPermission` `local-network` and `loopback-network` = denied.
//   Chromium unanswered: nothing set; headless shows no prompt and blocks at once (11-40 ms), as
//   denied does: the page gets `TypeError: Failed to fetch`, webRequest
//   `net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS`, after TCP and the TLS handshake, before
//   any HTTP request.
// - Firefox: `permissions.default.local-network` (and `.loopback-network`) 1 = granted, 2 = denied
//   (`TypeError: NetworkError when attempting to fetch resource.`, webRequest
//   `NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED`), 0 = ask: the fetch waits at the (headless, invisible)
//   prompt for `network.lna.prompt.timeout` ms (default 300000) and then fails as denied.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { launch } from './browsers.mjs';
import { requireIsolated as requireIsolatedBy } from '../../lib/isolation.mjs';

export const LNA_PERMISSIONS = Object.freeze(['granted', 'denied', 'unanswered']);

const CHROMIUM_POLICY = '/etc/chromium/policies/managed/epos-trust-e2e-lna.json';

const endpoint = (url) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
};

// The browser-specific launch options that make `posOrigin` public and `printers` (URLs or
// {url}) local, and set the permission state that can be set before start. `alsoPublic`: other
// origins of the test that count as public too (a framed page, another shop): a public page's
// frame from a loopback origin would itself be gated.
export function lnaLaunchOptions(kind, { posOrigin, printers, permission = 'unanswered', promptTimeoutMs, alsoPublic = [] }) {
  if (!LNA_PERMISSIONS.includes(permission)) throw new Error(`permission must be one of ${LNA_PERMISSIONS}`);
  if (new URL(posOrigin).hostname !== '127.0.0.1') throw new Error('the POS must be served as 127.0.0.1 (§9)');
  const locals = printers.map((p) => endpoint(typeof p === 'string' ? p : p.url));
  const publics = [posOrigin, ...alsoPublic].map(endpoint);
  if (kind === 'chrome') {
    const overrides = [...publics.map((e) => `${e}=public`), ...locals.map((e) => `${e}=local`)].join(',');
    return { extraArgs: [`--ip-address-space-overrides=${overrides}`] };
  }
  const decision = { granted: 1, denied: 2, unanswered: 0 }[permission];
  const prefs = {
    'network.lna.address_space.public.override': publics.join(','),
    'network.lna.address_space.private.override': locals.join(','),
    'permissions.default.local-network': decision,
    'permissions.default.loopback-network': decision,
  };
  if (promptTimeoutMs !== undefined) prefs['network.lna.prompt.timeout'] = promptTimeoutMs;
  return { extraPrefs: prefs };
}

function requireIsolated() {
  requireIsolatedBy({ net: true, overlay: '/etc' }, 'the LNA harness writes /etc/chromium policy');
}

async function setChromiumPermission(run, origin, setting) {
  const session = await run.browser.target().createCDPSession();
  try {
    for (const name of ['local-network', 'loopback-network']) {
      await session.send('Browser.setPermission', { origin, permission: { name }, setting });
    }
  } finally {
    await session.detach().catch(() => {});
  }
}

// Starts `kind` with the product extension in `sandbox`, the POS public, the printers local and
// the permission as asked. `pos` is tests/e2e/lib/pos_server.mjs's server (its certificate is let
// through as the existing suites do). Resolves with the run of browsers.mjs plus
// `run.dispose()` (closes the browser, removes the policy file) and `run.lna` (what was set).
export async function launchWithLna(
  kind,
  sandbox,
  { pos, printers, permission = 'unanswered', promptTimeoutMs, launchOptions = {}, alsoPublic = [] },
) {
  const lna = lnaLaunchOptions(kind, { posOrigin: pos.origin, printers, permission, promptTimeoutMs, alsoPublic });
  const options =
    kind === 'chrome'
      ? {
          ...launchOptions,
          extraArgs: [`--ignore-certificate-errors-spki-list=${pos.spkiSha256}`, ...lna.extraArgs, ...(launchOptions.extraArgs ?? [])],
        }
      : { ...launchOptions, trustedPem: pos.certPem, extraPrefs: { ...lna.extraPrefs, ...(launchOptions.extraPrefs ?? {}) } };
  let policyWritten = false;
  if (kind === 'chrome' && permission === 'granted') {
    requireIsolated();
    mkdirSync('/etc/chromium/policies/managed', { recursive: true });
    writeFileSync(CHROMIUM_POLICY, JSON.stringify({ LocalNetworkAccessAllowedForUrls: [pos.origin] }));
    policyWritten = true;
  }
  const removePolicy = () => policyWritten && rmSync(CHROMIUM_POLICY, { force: true });
  let run;
  try {
    run = await launch(kind, sandbox, options);
    if (kind === 'chrome' && permission !== 'unanswered') await setChromiumPermission(run, pos.origin, permission);
  } catch (e) {
    removePolicy();
    throw e;
  }
  run.lna = { permission, posOrigin: pos.origin, printers: printers.map((p) => (typeof p === 'string' ? p : p.url)) };
  run.dispose = async () => {
    await run.browser.close().catch(() => {});
    removePolicy();
  };
  return run;
}
