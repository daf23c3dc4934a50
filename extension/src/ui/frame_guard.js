// The extension's pages decide about trust: a page that frames one (to clickjack it) must get
// nothing from it. The manifest's CSP frame-ancestors 'none' already stops the frame in both
// browsers (measured: Chromium shows its "refused to connect" page, Firefox its cspBlocked page);
// this is the second wall, for a browser that ignores it: in a frame the page shows nothing it can
// act on and asks the background (and so the host) nothing.

export function isFramed(win = window) {
  try {
    return win.top !== win.self;
  } catch {
    return true; // a cross-origin top that cannot even be compared: framed
  }
}

// Empties the page and returns true when it is framed.
export function refuseFramed(doc = document, win = window) {
  if (!isFramed(win)) return false;
  doc.documentElement.dataset.framed = 'true';
  doc.body?.replaceChildren();
  return true;
}
