// An https origin of a test on loopback (the POS pages, a hostile page): a fresh self-signed
// certificate for its name, a request handler, and what each browser is told so that it lets that
// one certificate through and no other (tests/e2e/lib/browsers.mjs). Also the self-signed
// certificates a suite hands to the emulator (a printer that moved, a rogue device).
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A self-signed leaf (not a CA, serverAuth) for `cn`, whose subjectAltName lists `names` (IP
// literals and DNS names; default: `cn` alone), written as key.pem and cert.pem in `dir`.
export function writeSelfSigned(dir, cn, { names = [cn], days = 30 } = {}) {
  const san = names.map((n) => `${isIP(n.replace(/^\*\./, '')) ? 'IP' : 'DNS'}:${n}`).join(',');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', String(days), '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`,
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth',
  ], { stdio: 'ignore' });
  return { key, cert };
}

// The same, in memory: { key, cert } as Buffers (the files are removed).
export function selfSigned(cn, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'epos-e2e-cert-'));
  try {
    const files = writeSelfSigned(dir, cn, { days: 2, ...options });
    return { key: readFileSync(files.key), cert: readFileSync(files.cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Serves `handler(req, res)` over https on `host`:`port` (0: any) with `tls` ({key, cert}; default
// a fresh certificate for `name`). `origin` uses `name`, so a server reached by a DNS name
// (localhost) is not an IP literal the extension's pre-connection check would look at.
export async function startTestOrigin(handler, { host = '127.0.0.1', name = host, port = 0, tls = null } = {}) {
  const { key, cert } = tls ?? selfSigned(name);
  const server = https.createServer({ key, cert }, handler);
  await new Promise((resolve) => server.listen(port, host, resolve));
  const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return {
    origin: `https://${name}:${server.address().port}`,
    port: server.address().port,
    certPem: cert.toString(),
    tls: { key, cert },
    // For Chromium's --ignore-certificate-errors-spki-list: this origin's own certificate only.
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

// The launch options (tests/e2e/lib/browsers.mjs) that let `kind` accept `origin`'s certificate:
// Chromium by its key's hash, Firefox by the certificate anchored in the new profile.
export function acceptOrigin(kind, origin) {
  return kind === 'chrome' ? { extraArgs: [`--ignore-certificate-errors-spki-list=${origin.spkiSha256}`] } : { trustedPem: origin.certPem };
}
