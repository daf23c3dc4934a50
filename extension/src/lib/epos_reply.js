// What the printer said about one print: the ePOS-Print reply is
// <response success="true|false" code="..." status="..."/> inside a SOAP body. Read with a small
// pattern because the background (a service worker) has no DOMParser; only these two attributes
// of the one `response` element are needed.

export function eposOutcome(status, body) {
  if (status !== 200 || typeof body !== 'string') return { printed: false, code: status ? `http_${status}` : 'no_reply' };
  const element = /<(?:[A-Za-z0-9_-]+:)?response\b([^>]*)>/.exec(body);
  if (!element) return { printed: false, code: 'no_reply' };
  const attr = (name) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(element[1])?.[1] ?? '';
  if (attr('success') === 'true') return { printed: true, code: '' };
  return { printed: false, code: attr('code') || 'printer_error' };
}

// The ePOS error codes a shop owner can act on, by what to do (the prompt's words): the rest are
// "the printer refused the receipt" with its code shown.
const KINDS = {
  EPTR_COVER_OPEN: 'cover_open',
  EPTR_REC_EMPTY: 'paper_out',
  EPTR_REC_NEAR_END: 'paper_out',
  EX_TIMEOUT: 'printer_busy',
  EX_ENPC_TIMEOUT: 'printer_busy',
  ERROR_DEVICE_BUSY: 'printer_busy',
  DeviceNotFound: 'device_not_found',
  EPTR_AUTOMATICAL: 'printer_fault',
  EPTR_MECHANICAL: 'printer_fault',
  EPTR_UNRECOVERABLE: 'printer_fault',
  EPTR_CUTTER: 'printer_fault',
};

export function eposFailureKind(code) {
  return KINDS[code] ?? 'printer_refused';
}
