// What to do with a navigation to (or a POS request for) a local printer, from the host's inspect
// answer. Shared by Chromium's check page, Firefox's blocking webRequest listener and the Odoo POS
// hold, so that every path decides alike.

import { normalizeFingerprint } from './fingerprint.js';

// Decisions:
//   {action: 'pass', reason}           let it go on untouched (already trusted, not a printer,
//                                      unreachable: the browser will say what it says)
//   {action: 'trust', reason: 'pinned'} an administrator pinned this certificate: trust, no prompt
//   {action: 'explain'}                the certificate cannot work in this browser: say why
//   {action: 'prompt'}                 a new printer: ask the person
export function decide({ inspect, error, pinned = [], browser }) {
  // Without a working host nothing can be checked: say what to install (the person can go on to
  // the page). A printer that cannot be reached is the browser's to report, as without us.
  if (error?.code?.startsWith('host_')) return { action: 'explain', reason: error.code };
  if (error) return { action: 'pass', reason: error.code ?? 'host_error' };
  const cert = inspect.certificate;
  if ((inspect.trusted?.stores ?? []).length > 0) return { action: 'pass', reason: 'trusted' };
  if (!inspect.epos?.is_epos) return { action: 'pass', reason: 'not_epos' };
  const verdict = inspect.verdict?.[browser];
  if (verdict && verdict !== 'usable') return { action: 'explain', reason: verdict };
  const sha256 = normalizeFingerprint(cert?.sha256);
  if (sha256 && pinned.includes(sha256)) return { action: 'trust', reason: 'pinned' };
  return { action: 'prompt', reason: 'new_printer' };
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
