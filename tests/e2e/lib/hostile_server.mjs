// A hostile https page on another loopback origin (https://localhost:<port>): a name, not an IP
// literal, so the extension's pre-connection check leaves it alone, as it leaves any website.
// Each path serves one attack page; `frameUrl` is what the attack frames or opens.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'epos-hostile-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
      '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth',
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The framing page: the extension's check page in a full-viewport frame (a clickjacker would
// make it transparent under a decoy; visible here so the test can look inside).
function framingPage(src) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Free receipts</title></head>
<body style="margin:0"><iframe id="victim" src=${JSON.stringify(src)} style="border:0;width:100vw;height:100vh"></iframe>
<script>
  const frame = document.getElementById('victim');
  window.frameEvents = [];
  frame.addEventListener('load', () => window.frameEvents.push('load'));
  frame.addEventListener('error', () => window.frameEvents.push('error'));
</script></body></html>`;
}

export async function startHostileServer() {
  const { key, cert } = makeCertificate();
  let target = 'about:blank';
  const server = https.createServer({ key, cert }, (req, res) => {
    if (req.url.startsWith('/frame')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(framingPage(target));
    } else if (req.url.startsWith('/landing')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>attacker landing</title><p id="landed">landed</p>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const x509 = new X509Certificate(cert);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    origin: `https://localhost:${server.address().port}`,
    certPem: cert.toString(),
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    // What the next /frame page frames.
    setFrameTarget: (url) => {
      target = url;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
