// SHA-256 fingerprints: normalised for comparison, grouped for reading aloud over the phone to
// the person standing at the printer (whose Web Config page shows the same digits).

export function normalizeFingerprint(text) {
  if (typeof text !== 'string') return null;
  const hex = text.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

// "AB12 CD34 …": 16 groups of 4 upper-case hex digits, in `lines` lines (default 1).
export function groupFingerprint(text, { lines = 1 } = {}) {
  const hex = normalizeFingerprint(text);
  if (hex === null) return '';
  const groups = hex.toUpperCase().match(/.{4}/g);
  const perLine = Math.ceil(groups.length / lines);
  const out = [];
  for (let i = 0; i < groups.length; i += perLine) out.push(groups.slice(i, i + perLine).join(' '));
  return out.join('\n');
}

export function sameFingerprint(a, b) {
  const x = normalizeFingerprint(a);
  return x !== null && x === normalizeFingerprint(b);
}
