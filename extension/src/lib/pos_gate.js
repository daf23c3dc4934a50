// Who may ask a POS question (docs/design.md, trust rules): only the top frame of a page whose
// origin is exactly one the person or the managed policy named. A frame inside the POS, another
// port of the same host, any other `*.odoo.com` tenant: no question, no relay, no print held.

// The exact origin of a configured POS page that sent `sender` (runtime.onMessage's MessageSender),
// or null. sender.origin is the document's origin where the browser gives it (Chromium); Firefox
// gives sender.url only. A tab is required: only content scripts of tabs speak for a POS page.
export function posOriginOf(sender, configuredOrigins) {
  if (!sender || sender.frameId !== 0 || !sender.tab || typeof sender.tab.id !== 'number') return null;
  let origin = typeof sender.origin === 'string' ? sender.origin : null;
  if (!origin) {
    try {
      origin = new URL(sender.url).origin;
    } catch {
      return null;
    }
  }
  return configuredOrigins.includes(origin) ? origin : null;
}

// The printer a POS request is for, in the form the host's target parsing gives for it
// (https, lower-case host, default port dropped): every spelling of one printer's URL
// (http: of Odoo's use_lna, an explicit :443, upper case, a trailing path) is one printer.
// http: maps to https on the same host and port, exactly as Odoo 19's own https retry does.
// Returns {origin, protocol, path, query} or null when the URL is not a printer request at all.
export function printerOf(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username || parsed.password) return null;
  const port = parsed.port && !(parsed.protocol === 'https:' && parsed.port === '443') ? `:${parsed.port}` : '';
  return {
    origin: `https://${parsed.hostname}${port}`,
    protocol: parsed.protocol,
    path: parsed.pathname,
    query: parsed.search.replace(/^\?/, ''),
  };
}
