// The localized sentence for each error code and finding code of the host (docs/protocol.md):
// the host's own `message` is English for logs; people read these.
import { t } from '../lib/browser.js';

const ERROR_KEYS = {
  host_missing: 'errHostMissing',
  host_forbidden: 'errHostForbidden',
  host_too_old: 'errHostTooOld',
  host_exited: 'errHostExited',
  host_timeout: 'errHostTimeout',
  bad_url: 'errBadUrl',
  address_not_local: 'errAddressNotLocal',
  resolve_failed: 'errResolveFailed',
  unreachable: 'errUnreachable',
  timeout: 'errTimeout',
  not_tls: 'errNotTls',
  tls_failed: 'errTlsFailed',
  fingerprint_mismatch: 'errFingerprintMismatch',
  certificate_unusable: 'errCertificateUnusable',
  policy_forbids: 'errPolicyForbids',
  no_store: 'errNoStore',
  not_trusted: 'errNotTrusted',
  store_failed: 'errStoreFailed',
  flush_unavailable: 'errFlushUnavailable',
  policy_invalid: 'errPolicyInvalid',
  journal_corrupt: 'errJournalCorrupt',
  journal_unwritable: 'errJournalUnwritable',
  bad_certificate: 'errBadCertificate',
  relay_not_trusted: 'errRelayNotTrusted',
  relay_origin_not_allowed: 'errRelayOriginNotAllowed',
  relay_refused: 'errRelayRefused',
  certificate_too_broad: 'errCertificateTooBroad',
  busy: 'errBusy',
  // The extension's own: a URL outside the networks chosen in the settings.
  not_in_networks: 'errNotInNetworks',
};

export const FINDING_CODES = Object.freeze([
  'san_missing',
  'san_mismatch',
  'expired',
  'not_yet_valid',
  'validity_too_long',
  'weak_rsa_key',
  'sha1_signature',
  'x509_v1',
  'ca_certificate',
  'old_tls',
  'not_self_signed',
  'no_server_auth_eku',
  'not_epos',
  'names_beyond_printer',
]);

function camel(code) {
  return code.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

// {title, detail}: both in the person's language. The host's English `message` is for logs and
// support and is never shown; an unknown code is named (for support) under a generic title.
export function errorText(error) {
  const key = ERROR_KEYS[error?.code];
  if (!key) {
    const code = typeof error?.code === 'string' && /^[a-z0-9_]{1,40}$/.test(error.code) ? error.code : 'internal';
    return { title: t('errInternal'), detail: t('errCodeForSupport', [code]) };
  }
  const names = error.details?.names;
  if (error.code === 'certificate_too_broad' && Array.isArray(names) && names.length > 0) {
    const list = names.map((n) => (typeof n === 'string' ? n : n?.value)).filter(Boolean);
    return { title: t(key), detail: t('errCertificateTooBroadNames', [list.join(', ')]) };
  }
  return { title: t(key), detail: '' };
}

export function findingText(finding) {
  if (!FINDING_CODES.includes(finding.code)) {
    return { what: finding.message ?? finding.code, action: finding.action ?? '' };
  }
  const name = camel(finding.code);
  return {
    what: t(`finding${name[0].toUpperCase()}${name.slice(1)}`),
    action: t(`action${name[0].toUpperCase()}${name.slice(1)}`),
  };
}

export function errorMessageKeys() {
  return Object.values(ERROR_KEYS);
}
