// Which browser error signals mean "the printer's certificate is not trusted" (docs/browser-behaviour.md §3).

// Chromium reports net error names, identical in every locale, in webRequest.onErrorOccurred and
// webNavigation.onErrorOccurred. An untrusted self-signed certificate is always
// ERR_CERT_AUTHORITY_INVALID; name problems only show once it is trusted.
const CHROMIUM_CERT_ERRORS = Object.freeze({
  'net::ERR_CERT_AUTHORITY_INVALID': 'untrusted',
  'net::ERR_CERT_COMMON_NAME_INVALID': 'name_mismatch',
  'net::ERR_CERT_DATE_INVALID': 'date',
  'net::ERR_CERT_INVALID': 'invalid',
  'net::ERR_CERT_WEAK_SIGNATURE_ALGORITHM': 'invalid',
  'net::ERR_CERT_WEAK_KEY': 'invalid',
  'net::ERR_CERT_VALIDITY_TOO_LONG': 'invalid',
  'net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH': 'old_tls',
  'net::ERR_SSL_OBSOLETE_VERSION_OR_CIPHER': 'old_tls',
});

// Firefox's webNavigation.onErrorOccurred says "Error code <nsresult>" (not localized; its
// webRequest error is a localized sentence and must not be matched). For NSS errors
// nsresult = 0x805A0000 + (-NSS error code).
const NSS_CERT_ERRORS = Object.freeze({
  [-8179]: 'untrusted', // SEC_ERROR_UNKNOWN_ISSUER
  [-8172]: 'untrusted', // SEC_ERROR_UNTRUSTED_ISSUER
  [-8171]: 'untrusted', // SEC_ERROR_UNTRUSTED_CERT
  [-8156]: 'invalid', // SEC_ERROR_CA_CERT_INVALID
  [-8181]: 'date', // SEC_ERROR_EXPIRED_CERTIFICATE
  [-8162]: 'date', // SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE
  [-12276]: 'name_mismatch', // SSL_ERROR_BAD_CERT_DOMAIN
  [-16383]: 'invalid', // MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY
  [-16382]: 'invalid', // MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE
  [-16381]: 'invalid', // MOZILLA_PKIX_ERROR_V1_CERT_USED_AS_CA
  [-16379]: 'date', // MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE
  [-16370]: 'untrusted', // MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT
});

const NSS_NSRESULT_BASE = 0x805a0000;

export function firefoxNsresult(nssError) {
  return NSS_NSRESULT_BASE - nssError;
}

const FIREFOX_CERT_ERRORS = Object.freeze(
  Object.fromEntries(
    Object.entries(NSS_CERT_ERRORS).map(([nss, kind]) => [
      `Error code ${firefoxNsresult(Number(nss))}`,
      kind,
    ]),
  ),
);

// The kind of certificate problem an error string reports ('untrusted', 'name_mismatch', 'date',
// 'invalid', 'old_tls'), or null when it is not a certificate error of either browser.
export function certErrorKind(error) {
  if (typeof error !== 'string') return null;
  return CHROMIUM_CERT_ERRORS[error] ?? FIREFOX_CERT_ERRORS[error.trim()] ?? null;
}

export function isCertError(error) {
  return certErrorKind(error) !== null;
}

// Local Network Access refused a public page's request to a local address (docs/browser-behaviour.md
// §9), in webRequest.onErrorOccurred's `error`. Chromium: net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS
// (after the TLS handshake; an untrusted certificate is reported instead). Firefox ESR 153 (measured
// with a trusted printer certificate): NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED, not localized, both when
// denied (~110 ms) and when the permission prompt goes unanswered (after network.lna.prompt.timeout);
// with an untrusted certificate Firefox too reports the (localized) certificate error first.
const LNA_ERRORS = Object.freeze(['net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', 'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED']);

export function isLocalNetworkBlock(error) {
  return typeof error === 'string' && LNA_ERRORS.includes(error.trim());
}

// The ePOS-Print endpoint every Epson ePOS printer serves and Odoo POS posts receipts to.
export const EPOS_SERVICE_PATH = '/cgi-bin/epos/service.cgi';

export function isEposServiceUrl(url) {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.pathname === EPOS_SERVICE_PATH;
  } catch {
    return false;
  }
}
