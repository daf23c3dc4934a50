// The extension's effective settings: defaults, then what the person chose (storage.local), then
// what an administrator enforces (storage.managed: Chrome managed_schema / Firefox 3rdparty policy).
// Pure functions here; storage access is in settings_store.js.

import { ADDRESS_CLASSES, DEFAULT_NETWORKS } from './address.js';
import { normalizeFingerprint } from './fingerprint.js';

export const DEFAULTS = Object.freeze({
  networks: DEFAULT_NETWORKS,
  odooOrigins: Object.freeze([]),
  precheck: true,
});

export function normalizeNetworks(value) {
  if (!Array.isArray(value)) return null;
  const known = value.filter((n) => ADDRESS_CLASSES.includes(n));
  return known.length === value.length ? [...new Set(known)] : null;
}

// The POS origins the extension serves are exact: "https://pos.example.com" or
// "https://pos.example.com:8069" (a trailing "/" is accepted), nothing else. No wildcard (anyone
// can open an Odoo Online tenant), no path, no http: (a page on http: meets no certificate).
// Returns the origin, or null.
export function normalizeOrigin(text) {
  if (typeof text !== 'string') return null;
  const raw = text.trim();
  if (!/^https:\/\/[^/?#*@\s]+\/?$/i.test(raw)) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' || url.username || url.password || url.hostname === '') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function normalizeOrigins(value) {
  if (!Array.isArray(value)) return null;
  const origins = value.map(normalizeOrigin);
  return origins.includes(null) ? null : [...new Set(origins)];
}

export function normalizeFingerprints(value) {
  if (!Array.isArray(value)) return null;
  return [...new Set(value.map(normalizeFingerprint).filter((fp) => fp !== null))];
}

// A managed value as the browser handed it over. Firefox on Windows reads its extension policies
// from the registry, where a REG_SZ value arrives as text even when it holds JSON, and a REG_DWORD
// as a number (docs/admin.md §5): a list written as JSON text and a 0/1 switch mean what
// they say. Anything else is left as it is, for the checks below to accept or report.
export function unwrapManaged(value) {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!/^(\[|true$|false$)/.test(text)) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

function managedSwitch(value) {
  const v = unwrapManaged(value);
  if (v === 0 || v === 1) return v === 1;
  return v;
}

// Merges the three layers. Returns the effective settings plus `locked`, the keys policy decides
// (the settings page shows them read-only), and `problems`, managed values that were ignored
// because they are malformed (an administrator's typo must not silently widen anything).
export function mergeSettings(local = {}, rawManaged = {}) {
  const managed = Object.fromEntries(
    Object.entries(rawManaged ?? {}).map(([key, value]) => [
      key,
      key === 'precheck' ? managedSwitch(value) : unwrapManaged(value),
    ]),
  );
  const effective = {
    networks: [...DEFAULTS.networks],
    odooOrigins: [],
    managedOdooOrigins: [],
    precheck: DEFAULTS.precheck,
    pinned: [],
    locked: [],
    problems: [],
  };
  const localNetworks = normalizeNetworks(local.networks);
  if (localNetworks) effective.networks = localNetworks;
  // The person's list keeps its valid entries (one saved before origins had to be exact https
  // must not drop the others); the managed list is all or nothing, as every managed value.
  if (Array.isArray(local.odooOrigins)) {
    effective.odooOrigins = [...new Set(local.odooOrigins.map(normalizeOrigin).filter(Boolean))];
  }
  if (typeof local.precheck === 'boolean') effective.precheck = local.precheck;

  if (managed.networks !== undefined) {
    const networks = normalizeNetworks(managed.networks);
    if (networks) {
      effective.networks = networks;
      effective.locked.push('networks');
    } else {
      effective.problems.push('networks');
    }
  }
  if (managed.odooOrigins !== undefined) {
    const origins = normalizeOrigins(managed.odooOrigins);
    if (origins) effective.managedOdooOrigins = origins;
    else effective.problems.push('odooOrigins');
  }
  if (managed.precheck !== undefined) {
    if (typeof managed.precheck === 'boolean') {
      effective.precheck = managed.precheck;
      effective.locked.push('precheck');
    } else {
      effective.problems.push('precheck');
    }
  }
  if (managed.pinnedFingerprints !== undefined) {
    // Well-formed fingerprints are kept even when a neighbour is malformed: pinning only ever
    // skips a prompt for that exact certificate, and the problem is reported.
    const pinned = normalizeFingerprints(managed.pinnedFingerprints);
    if (pinned) effective.pinned = pinned;
    const valid = pinned && managed.pinnedFingerprints.every((fp) => normalizeFingerprint(fp));
    if (!valid) effective.problems.push('pinnedFingerprints');
  }
  return effective;
}

// Every Odoo origin the POS integration serves (settings and policy together).
export function allOdooOrigins(settings) {
  return [...new Set([...settings.odooOrigins, ...settings.managedOdooOrigins])];
}

// Content-script match patterns for the pages of these origins. Match patterns carry no port in
// Firefox (a pattern with one never matches), so they name the host; the background then answers
// only the exact origin of the page that asks (pos_gate.js). Every page of the origin: Odoo prints
// from /pos/ui, /pos/web, the self-order kiosk /pos-self/<id> and the backend (/odoo, /web).
export function posMatchPatterns(origins) {
  const patterns = origins.map((origin) => `https://${new URL(origin).hostname}/*`);
  return [...new Set(patterns)];
}
