// What to do with a navigation to (or a POS request for) a local printer, from the host's inspect
// answer. Shared by Chromium's check page, Firefox's blocking webRequest listener and the Odoo POS
// hold, so that every path decides alike.

import { normalizeFingerprint } from './fingerprint.js';

// Decisions:
//   {action: 'pass', reason}           let it go on untouched (already trusted, not a printer,
//                                      unreachable: the browser will say what it says)
//   {action: 'trust', reason: 'pinned'} an administrator pinned this certificate: trust, no prompt
//   {action: 'explain', reason}        the certificate cannot work in this browser, or may not be
//                                      installed here: say why. reason 'san_mismatch' (with
//                                      `trusted`): the certificate names another address than the
//                                      one used, typically a printer whose address changed after it
//                                      was trusted; reason 'policy_forbids' / 'policy_invalid':
//                                      the host's machine policy forbids this install; `trusted`:
//                                      it is trusted already, and still refused
//   {action: 'prompt'}                 a new printer: ask the person
// policy: the host's machine policy (hello.policy), when known.
export function decide({ inspect, error, pinned = [], browser, policy }) {
  // Without a working host nothing can be checked: say what to install (the person can go on to
  // the page). A printer that cannot be reached is the browser's to report, as without us.
  if (error?.code?.startsWith('host_')) return { action: 'explain', reason: error.code };
  if (error) return { action: 'pass', reason: error.code ?? 'host_error' };
  const cert = inspect.certificate;
  const trusted = (inspect.trusted?.stores ?? []).length > 0;
  const verdict = inspect.verdict?.[browser];
  // A trust does not make a certificate valid for an address it does not name: a printer that
  // moved (DHCP) after it was trusted fails however trusted it is, so this wins over "trusted".
  if (verdict && verdict !== 'usable' && (trusted || inspect.epos?.is_epos) && hasFinding(inspect, 'san_mismatch')) {
    return { action: 'explain', reason: 'san_mismatch', trusted };
  }
  // Trusted, but refused anyway (expired since, say): no restart or reload will change that.
  if (trusted && verdict && verdict !== 'usable') return { action: 'explain', reason: verdict, trusted };
  if (trusted) return { action: 'pass', reason: 'trusted' };
  if (!inspect.epos?.is_epos) return { action: 'pass', reason: 'not_epos' };
  if (verdict && verdict !== 'usable') return { action: 'explain', reason: verdict };
  const sha256 = normalizeFingerprint(cert?.sha256);
  // installs_allowed false: the host installs only what its own policy pinned (docs/admin.md).
  if (policy && policy.installs_allowed === false) {
    const hostPinned = (policy.pinned_sha256 ?? []).map(normalizeFingerprint);
    if (!sha256 || !hostPinned.includes(sha256)) {
      return { action: 'explain', reason: policy.error ? 'policy_invalid' : 'policy_forbids' };
    }
    return { action: 'trust', reason: 'pinned' };
  }
  if (sha256 && pinned.includes(sha256)) return { action: 'trust', reason: 'pinned' };
  return { action: 'prompt', reason: 'new_printer' };
}

export function hasFinding(inspect, code) {
  return (inspect?.findings ?? []).some((f) => f.code === code);
}

// The printer that moved: the addresses its certificate names (what it was trusted for) and the
// address it answers at now. Names from certificate.names when the host gives them, else the SAN.
export function movedPrinter(inspect) {
  const cert = inspect?.certificate ?? {};
  const names = Array.isArray(cert.names)
    ? cert.names.map((n) => n.value)
    : [...(cert.san?.ip ?? []), ...(cert.san?.dns ?? [])];
  const named = names.length > 0 ? names : [cert.common_name].filter(Boolean);
  return { named, now: inspect?.target?.host ?? '' };
}

// The fingerprints trusted without a prompt: the extension's managed policy and the host's
// machine policy (hello.policy.pinned_sha256) together.
export function pinnedSet(settings, hello) {
  const fromHost = (hello?.policy?.pinned_sha256 ?? []).map(normalizeFingerprint);
  return [...new Set([...settings.pinned, ...fromHost.filter(Boolean)])];
}

// After `trust`: does the running browser see the certificate now, after the Firefox flush, or
// only after a restart? (docs/protocol.md, trust.effective.)
export function trustEffect(result) {
  const stores = (result?.stores ?? []).filter((s) => s.outcome !== 'failed');
  if (stores.length === 0) return 'failed';
  if (stores.some((s) => s.effective === 'now')) return 'now';
  if (stores.some((s) => s.effective === 'after_flush')) return 'after_flush';
  return 'after_restart';
}
