// Where the check page may go on to: only the inspected printer's own origin, with the path,
// query and fragment of the navigation it stands in for. The fragment the page was opened with is
// chosen by whoever opened it (any web page can), so it never picks the destination itself.

// url: the navigation's URL (the check page's fragment); origin: the printer origin the background
// inspected (or would have). A URL on another origin goes to that origin's root instead.
export function continuationUrl(url, origin) {
  const base = new URL(origin);
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.origin !== base.origin) return `${base.origin}/`;
  return `${base.origin}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

// After a host error, may the person still choose to go on to the page (without trust, remembered
// for the session)? Not when the address itself is refused: there is no printer page to go on to.
const NO_WAY_ON = new Set(['bad_url', 'not_in_networks']);

export function canContinueAfter(code) {
  return !NO_WAY_ON.has(code);
}
