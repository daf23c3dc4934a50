// Measures what each browser's webRequest reports when Local Network Access refuses a public
// page's print to a local printer: `node tests/e2e/measure_lna.mjs <chrome|firefox> <denied|prompt>`
// inside tests/e2e/run-isolated.sh. Firefox gets both certificates (the POS page's and the
// printer's) in its profile first, so that the certificate error (reported first, localized) does
// not hide the LNA one; 'prompt' leaves the permission unanswered with a 3 s prompt timeout.
// Measured (Firefox ESR 153): NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED, denied ~110 ms, unanswered
// after the prompt timeout; the page gets "TypeError: NetworkError when attempting to fetch resource.".
import { extensionPage, launch } from './lib/browsers.mjs';
import { startPrinter } from './lib/emulator.mjs';
import { startPosServer } from './lib/pos_server.mjs';
import { makeSandbox } from './lib/sandbox.mjs';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import tls from 'node:tls';
function peerPem(host, port) {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host, port, rejectUnauthorized: false }, () => {
      const der = s.getPeerCertificate().raw;
      s.end();
      resolve(`-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`);
    });
    s.on('error', reject);
  });
}

const kind = process.argv[2] ?? 'firefox';
const mode = process.argv[3] ?? 'denied';
const printer = await startPrinter({ address: '127.0.0.26' });
const pos = await startPosServer({ printerIp: `127.0.0.26:${printer.port}` });
const sandbox = makeSandbox(kind, { name: 'measure' });
if (kind === 'firefox') {
  execFileSync('certutil', ['-N', '-d', `sql:${sandbox.profile}`, '--empty-password']);
  for (const [n, pem] of [['pos', pos.certPem], ['printer', await peerPem('127.0.0.26', printer.port)]]) {
    writeFileSync(`${sandbox.dir}/${n}.pem`, pem);
    execFileSync('certutil', ['-A', '-d', `sql:${sandbox.profile}`, '-n', n, '-t', 'C,,', '-i', `${sandbox.dir}/${n}.pem`]);
  }
}
const opts = kind === 'chrome'
  ? { extraArgs: [`--ignore-certificate-errors-spki-list=${pos.spkiSha256}`, `--ip-address-space-overrides=127.0.0.1:${pos.port}=public,127.0.0.26:${printer.port}=local`] }
  : { extraPrefs: {
      'network.lna.address_space.public.override': `127.0.0.1:${pos.port}`,
      'network.lna.address_space.private.override': `127.0.0.26:${printer.port}`,
      ...(mode === 'denied' ? { 'permissions.default.local-network': 2 } : { 'network.lna.prompt.timeout': 3000 }),
    } };
const run = await launch(kind, sandbox, opts);
try {
  if (kind === 'chrome') await run.browser.defaultBrowserContext().setPermission(pos.origin, { permission: { name: 'local-network' }, state: 'denied' });
  const ext = await extensionPage(run);
  await ext.evaluate(() => {
    const api = globalThis.browser ?? globalThis.chrome;
    globalThis.seen = [];
    api.webRequest.onErrorOccurred.addListener((d) => globalThis.seen.push({ ev: 'webRequest.error', error: d.error, type: d.type, url: d.url, frameId: d.frameId, originUrl: d.originUrl, documentUrl: d.documentUrl, initiator: d.initiator }), { urls: ['<all_urls>'] });
    api.webRequest.onBeforeRequest.addListener((d) => globalThis.seen.push({ ev: 'before', url: d.url, type: d.type }), { urls: ['https://127.0.0.26/*', 'https://*/*'] });
  });
  const page = await run.browser.newPage();
  await page.goto(`${pos.origin}/pos/ui`);
  const t0 = Date.now();
  const result = await page.evaluate(async (ip) => {
    try {
      const r = await fetch(`https://${ip}/cgi-bin/epos/service.cgi?devid=local_printer`, { method: 'POST', body: '<x/>' });
      return `status ${r.status}`;
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  }, `127.0.0.26:${printer.port}`);
  const ms = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 500));
  console.log(JSON.stringify({ kind, mode, result, ms, seen: await ext.evaluate(() => globalThis.seen), printerGot: (await printer.prints()).length }, null, 1));
} finally {
  await run.browser.close();
  printer.stop();
  await pos.close();
  sandbox.remove();
}
