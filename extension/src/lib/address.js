// Classifies the address of a URL the way the host does (docs/protocol.md, target.address_class),
// so that the extension only ever acts on printers on a local network. Only IP literals are
// classified: a host name could resolve anywhere, and only the host (which resolves it) can tell.

export const ADDRESS_CLASSES = Object.freeze([
  'loopback',
  'private',
  'link_local',
  'ula',
  'cgnat',
]);

// Private ranges by default: a real printer is never on loopback or CGNAT. Settings or
// managed policy can widen or narrow this list.
export const DEFAULT_NETWORKS = Object.freeze(['private', 'link_local', 'ula']);

function parseIPv4(text) {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

// Returns the eight 16-bit groups of an IPv6 literal (without brackets), or null.
function parseIPv6(text) {
  let body = text.toLowerCase();
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  // An embedded IPv4 (::ffff:192.168.1.25) is rewritten as its two hex groups.
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (!v4) return null;
    const hex = (hi, lo) => ((hi << 8) | lo).toString(16);
    body = `${body.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const toGroups = (s) => (s === '' ? [] : s.split(':'));
  const head = toGroups(halves[0]);
  const rest = halves.length === 2 ? toGroups(halves[1]) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
  const zeros = new Array(8 - explicit).fill(0);
  return [...head, ...(halves.length === 2 ? zeros : []), ...rest].map((g) =>
    typeof g === 'number' ? g : parseInt(g, 16),
  );
}

function classifyIPv4([a, b]) {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link_local';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  if (a === 0) return 'unspecified';
  return 'public';
}

function classifyIPv6(g) {
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address decides.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return classifyIPv4([g[6] >> 8, g[6] & 0xff]);
  }
  if ((g[0] & 0xffc0) === 0xfe80) return 'link_local';
  if ((g[0] & 0xfe00) === 0xfc00) return 'ula';
  return 'public';
}

// The class of a host as found in URL.hostname: 'loopback', 'private', 'link_local', 'ula',
// 'cgnat', 'public', 'unspecified', or 'name' for anything that is not an IP literal.
export function classifyHost(hostname) {
  if (typeof hostname !== 'string' || hostname === '') return 'name';
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    const groups = parseIPv6(hostname.slice(1, -1));
    return groups ? classifyIPv6(groups) : 'name';
  }
  const v4 = parseIPv4(hostname);
  return v4 ? classifyIPv4(v4) : 'name';
}

// The printer target of an https URL: {origin, hostname, port, addressClass}, or null when the
// URL is not https or cannot be parsed.
export function parseTarget(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return null;
  return {
    origin: parsed.origin,
    hostname: parsed.hostname,
    port: parsed.port === '' ? 443 : Number(parsed.port),
    addressClass: classifyHost(parsed.hostname),
  };
}

// True when url is https to an IP literal whose class is one of networks.
export function isLocalPrinterUrl(url, networks) {
  const target = parseTarget(url);
  return target !== null && networks.includes(target.addressClass);
}
