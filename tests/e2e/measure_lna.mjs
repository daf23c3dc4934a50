#!/usr/bin/env node
// Measures (not a test) what the browsers do with Local Network Access and with kiosk/full-screen
// windows, with a small probe extension of its own (not the product's), so that the suites and
// docs/browser-behaviour.md §9 rest on what this machine's browsers really do:
// - what the page and the extension's webRequest/webNavigation see when a public page's print to a
//   local printer is denied, granted or left unanswered;
// - whether the address-space overrides (Chromium --ip-address-space-overrides, Firefox
//   network.lna.address_space.*.override) make 127.0.0.x public/local as documented;
// - what a --kiosk / full-screen window does when an extension opens a tab in it.
//
//   tests/e2e/run-isolated.sh node tests/e2e/measure_lna.mjs [--browsers chrome,firefox] [--only NAME]
//
// Prints one JSON object per case. Measured here on 2026-12-03 (Chromium 156, Firefox ESR 153;
// docs/browser-behaviour.md §9 keeps the summary):
// - Chromium, POS 127.0.0.1:P=public, printer 127.0.0.26:Q=local: denied (CDP setPermission) and
//   unanswered (headless never shows the prompt) alike: the page gets `TypeError: Failed to fetch`
//   in 11-40 ms, webRequest.onErrorOccurred `net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS`
//   (ip: null); TCP and the TLS handshake reach the printer, no HTTP request. An untrusted printer
//   certificate is reported first (`net::ERR_CERT_AUTHORITY_INVALID`, no TLS handshake completed).
//   XHR: error event, status 0; `targetAddressSpace:"local"` changes nothing.
// - Chromium: CDP Browser.setPermission / Browser.grantPermissions `local-network` (+
//   `loopback-network`, `local-network-access`) = granted is reflected by
//   navigator.permissions.query ("granted") but does NOT lift the block (same error, with or
//   without any extension loaded). The managed policy `LocalNetworkAccessAllowedForUrls:
//   [posOrigin]` does: 200. An unoverridden 127.0.0.x printer is loopback and is gated the same way.
// - Firefox, the network.lna.address_space.{public,private}.override prefs (a comma-separated list
//   of ip:port works): permissions.default.local-network=2 -> the page gets `TypeError:
//   NetworkError when attempting to fetch resource.` (61-277 ms), webRequest.onErrorOccurred
//   `NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED` (not localized; ip 127.0.0.26); TCP and the TLS
//   handshake reach the printer, no HTTP request. =1 -> 200. Unanswered: the fetch waits
//   (still pending after 10 s at the default network.lna.prompt.timeout 300000) with only
//   onBeforeRequest seen; with the timeout at 3000 it fails at 3.3 s exactly as denied. An
//   untrusted certificate is reported first (a localized sentence, no TLS handshake completed).
//   No webNavigation event for a fetch in either browser.
// - Kiosk: Chromium headless --kiosk and --start-fullscreen, Firefox headless --kiosk: the window's
//   state is "fullscreen"; an extension's tabs.create({windowId, index, openerTabId, active: true})
//   gives an active tab in that same window, which stays "fullscreen"; when the tab is removed the
//   POS tab is active again. Element full screen (requestFullscreen after a real click) does not
//   happen in either headless browser.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_TEST_FLAGS, firefoxTestPrefs } from '../lib/browser_options.mjs';
import { paths } from './lib/paths.mjs';
import { isolated } from '../lib/isolation.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';

const { values: opts } = parseArgs({
  options: {
    browsers: { type: 'string', default: 'chrome,firefox' },
    only: { type: 'string', default: '' },
    // No probe extension at all (does an extension's webRequest listener change the outcome?).
    'no-probe': { type: 'boolean', default: false },
    // The probe extension without its webRequest listeners.
    'no-webrequest': { type: 'boolean', default: false },
  },
});
if (!isolated({ net: true })) {
  console.error('measure_lna.mjs: run it through tests/e2e/run-isolated.sh (loopback-only network)');
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = mkdtempSync(join(tmpdir(), 'epos-measure-lna-'));

// One certificate for the POS page and the trusted printer (SAN: both addresses), so one
// --ignore-certificate-errors-spki-list entry / one certutil anchor covers both.
function makeCert() {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem'),
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,IP:127.0.0.26,IP:127.0.0.28',
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth',
  ], { stdio: 'ignore' });
  const spki = execFileSync('sh', ['-c',
    `openssl x509 -in ${join(work, 'cert.pem')} -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
  ], { encoding: 'utf8' }).trim();
  return { key: readFileSync(join(work, 'key.pem')), cert: readFileSync(join(work, 'cert.pem')), spki };
}
const tls = makeCert();
const untrusted = (() => {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'ukey.pem'), '-out', join(work, 'ucert.pem'),
    '-days', '2', '-subj', '/CN=127.0.0.27', '-addext', 'subjectAltName=IP:127.0.0.27',
  ], { stdio: 'ignore' });
  return { key: readFileSync(join(work, 'ukey.pem')), cert: readFileSync(join(work, 'ucert.pem')) };
})();

const EPOS_OK =
  '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
  '<response success="true" code="" status="251658262" battery="0" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/>' +
  '</s:Body></s:Envelope>';

// A printer that counts TCP connections, TLS handshakes and requests (what reached it).
async function countingPrinter(address, creds) {
  const counts = { tcp: 0, tls: 0, requests: [] };
  const server = https.createServer(creds, (req, res) => {
    counts.requests.push(`${req.method} ${req.url}`);
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      'access-control-allow-headers': 'Content-Type, SOAPAction, If-Modified-Since',
    };
    if (req.headers['access-control-request-private-network']) cors['access-control-allow-private-network'] = 'true';
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    req.resume();
    req.on('end', () => res.writeHead(200, { ...cors, 'content-type': 'text/xml; charset=utf-8' }).end(EPOS_OK));
  });
  server.on('connection', () => (counts.tcp += 1));
  server.on('secureConnection', () => (counts.tls += 1));
  await new Promise((r) => server.listen(0, address, r));
  return { counts, port: server.address().port, address, server };
}

// The POS page: prints on request (a function the test calls through evaluate), reports the error.
const POS_PAGE = `<!doctype html><meta charset="utf-8"><title>POS</title><body>
<script>
window.printTo = async (url, init = {}) => {
  const t0 = performance.now();
  try {
    const r = await fetch(url, { method: 'POST', body: '<x/>', ...init });
    const text = await r.text();
    return { ok: true, status: r.status, ms: Math.round(performance.now() - t0), body: text.slice(0, 60) };
  } catch (e) {
    return { ok: false, name: e.name, message: e.message, ms: Math.round(performance.now() - t0) };
  }
};
window.xhrTo = (url) => new Promise((resolve) => {
  const t0 = performance.now();
  const x = new XMLHttpRequest();
  x.open('POST', url);
  x.onload = () => resolve({ ok: true, status: x.status, ms: Math.round(performance.now() - t0) });
  x.onerror = (e) => resolve({ ok: false, status: x.status, type: e.type, ms: Math.round(performance.now() - t0) });
  x.send('<x/>');
});
window.frameTo = (url) => new Promise((resolve) => {
  const f = document.createElement('iframe');
  f.src = url;
  f.onload = () => resolve('load');
  document.body.append(f);
  setTimeout(() => resolve('no load in 5 s'), 5000);
});
window.openTab = () => window.postMessage({ probe: 'openTab' }, '*');
</script>`;

async function posServer() {
  const server = https.createServer(tls, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(POS_PAGE);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `https://127.0.0.1:${server.address().port}`, port: server.address().port };
}

// The collector the probe extension's background reports its events to (plain http on loopback).
const events = [];
const collector = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    try {
      events.push(JSON.parse(body));
    } catch {
      /* ignore */
    }
    res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
  });
});
await new Promise((r) => collector.listen(0, '127.0.0.1', r));
const COLLECT = `http://127.0.0.1:${collector.address().port}/`;

function probeExtension(kind) {
  const dir = join(work, `probe-${kind}`);
  mkdirSync(dir, { recursive: true });
  const manifest =
    kind === 'chrome'
      ? {
          manifest_version: 3, name: 'lna probe', version: '1',
          permissions: ['webRequest', 'webNavigation', 'tabs'], host_permissions: ['<all_urls>'],
          background: { service_worker: 'bg.js' },
          content_scripts: [{ matches: ['<all_urls>'], js: ['cs.js'], run_at: 'document_start' }],
        }
      : {
          manifest_version: 2, name: 'lna probe', version: '1',
          permissions: ['webRequest', 'webNavigation', 'tabs', '<all_urls>'],
          background: { scripts: ['bg.js'] },
          content_scripts: [{ matches: ['<all_urls>'], js: ['cs.js'], run_at: 'document_start' }],
          browser_specific_settings: { gecko: { id: 'lna-probe@epos-trust.test' } },
        };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'bg.js'), `
const api = globalThis.browser ?? globalThis.chrome;
const COLLECT = ${JSON.stringify(COLLECT)};
const t0 = Date.now();
function send(ev) { fetch(COLLECT, { method: 'POST', body: JSON.stringify({ ...ev, at: Date.now() }) }).catch(() => {}); }
const filter = { urls: ['<all_urls>'] };
const WEBREQUEST = ${JSON.stringify(!opts['no-webrequest'])};
if (WEBREQUEST) {
const skip = (d) => d.url.startsWith(COLLECT);
api.webRequest.onBeforeRequest.addListener((d) => { if (!skip(d)) send({ ev: 'wr.before', url: d.url, type: d.type, method: d.method }); }, filter);
api.webRequest.onErrorOccurred.addListener((d) => { if (!skip(d)) send({ ev: 'wr.error', url: d.url, type: d.type, error: d.error, ip: d.ip ?? null }); }, filter);
api.webRequest.onCompleted.addListener((d) => { if (!skip(d)) send({ ev: 'wr.completed', url: d.url, type: d.type, status: d.statusCode, ip: d.ip ?? null }); }, filter);
}
api.webNavigation.onErrorOccurred.addListener((d) => send({ ev: 'nav.error', url: d.url, frameId: d.frameId, error: d.error }));
api.webNavigation.onCompleted.addListener((d) => send({ ev: 'nav.completed', url: d.url, frameId: d.frameId }));
api.runtime.onMessage.addListener((msg, sender) => {
  if (msg.probe !== 'openTab') return;
  (async () => {
    const tab = sender.tab;
    const before = await api.windows.get(tab.windowId);
    const created = await api.tabs.create({ url: 'about:blank', windowId: tab.windowId, index: tab.index + 1, openerTabId: tab.id, active: true });
    await new Promise((r) => setTimeout(r, 500));
    const after = await api.windows.get(tab.windowId, { populate: true });
    const createdNow = after.tabs.find((t) => t.id === created.id);
    send({ ev: 'kiosk', before: { state: before.state, type: before.type }, after: { state: after.state, type: after.type, tabs: after.tabs.length },
      createdActive: createdNow?.active ?? null, createdWindow: createdNow?.windowId === tab.windowId, posStillActive: after.tabs.find((t) => t.id === tab.id)?.active });
    await api.tabs.remove(created.id);
    const back = await api.tabs.get(tab.id);
    const win = await api.windows.get(tab.windowId);
    send({ ev: 'kiosk.closed', posActive: back.active, state: win.state });
  })().catch((e) => send({ ev: 'kiosk.failed', message: String(e) }));
});
api.runtime.onInstalled?.addListener?.(() => send({ ev: 'ready', after: Date.now() - t0 }));
send({ ev: 'ready' });
`);
  writeFileSync(join(dir, 'cs.js'), `
const api = globalThis.browser ?? globalThis.chrome;
window.addEventListener('message', (e) => { if (e.source === window && e.data && e.data.probe) api.runtime.sendMessage(e.data); });
`);
  return dir;
}

async function launch(kind, { args = [], prefs = {}, headless = true }) {
  const dir = mkdtempSync(join(work, `${kind}-`));
  const home = join(dir, 'home');
  const profile = join(dir, 'profile');
  mkdirSync(home, { recursive: true });
  mkdirSync(profile, { recursive: true });
  const env = scratchEnv(home, { base: process.env });
  const ext = opts['no-probe'] ? null : probeExtension(kind);
  const loadIt = ext ? [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`] : [];
  let browser;
  if (kind === 'chrome') {
    browser = await puppeteer.launch({
      executablePath: paths.chromium, headless, userDataDir: profile, env,
      args: [...CHROMIUM_TEST_FLAGS, `--ignore-certificate-errors-spki-list=${tls.spki}`,
        ...loadIt, ...args],
      ignoreDefaultArgs: ext ? ['--disable-extensions'] : [],
    });
  } else {
    execFileSync('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${profile}`, '-n', 'measure', '-t', 'C,,', '-i', join(work, 'cert.pem')]);
    browser = await puppeteer.launch({
      browser: 'firefox', executablePath: paths.firefox, headless, userDataDir: profile, env, args,
      extraPrefsFirefox: firefoxTestPrefs(prefs),
    });
    if (ext) await browser.installExtension(ext);
  }
  const start = events.length;
  if (!ext) return { browser, kind, remove: () => rmSync(dir, { recursive: true, force: true }) };
  for (let i = 0; i < 100 && !events.slice(start).some((e) => e.ev === 'ready'); i += 1) await sleep(50);
  return { browser, kind, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const results = [];
function out(name, data) {
  const line = { case: name, ...data };
  results.push(line);
  console.log(JSON.stringify(line));
}

// Events the extension saw for URLs starting with `prefix`, since index `from`, after a settle.
async function seen(from, prefix, settleMs = 600) {
  await sleep(settleMs);
  return events.slice(from).filter((e) => e.url?.startsWith(prefix)).map(({ at: _at, ...e }) => e);
}

async function casePrint(run, pos, target, name, { how = 'fetch', init = {}, timeoutMs = 20000, scheme = 'https' } = {}) {
  const page = await run.browser.newPage();
  await page.goto(`${pos.origin}/pos/ui`);
  const from = events.length;
  const before = { tcp: target.counts.tcp, tls: target.counts.tls, req: target.counts.requests.length };
  const url = `${scheme}://${target.address}:${target.port}/cgi-bin/epos/service.cgi?devid=local_printer`;
  const result = await Promise.race([
    how === 'xhr' ? page.evaluate((u) => window.xhrTo(u), url) : page.evaluate((u, i) => window.printTo(u, i), url, init),
    sleep(timeoutMs).then(() => ({ pending: `still pending after ${timeoutMs} ms` })),
  ]);
  const ext = await seen(from, `${scheme}://${target.address}:${target.port}/`);
  out(`${run.kind}: ${name}`, {
    page: result,
    extension: ext,
    reachedPrinter: {
      tcp: target.counts.tcp - before.tcp, tls: target.counts.tls - before.tls,
      requests: target.counts.requests.slice(before.req),
    },
  });
  await page.close();
}

const want = (name) => !opts.only || name.includes(opts.only);

async function chromium() {
  const pos = await posServer();
  const local = await countingPrinter('127.0.0.26', tls);
  const bad = await countingPrinter('127.0.0.27', untrusted);
  const loop = await countingPrinter('127.0.0.28', tls);
  const override = `--ip-address-space-overrides=127.0.0.1:${pos.port}=public,127.0.0.26:${local.port}=local,127.0.0.27:${bad.port}=local`;
  const perm = async (run, name, state) => {
    // CDP Browser.setPermission (puppeteer's setPermission wraps it).
    const session = await run.browser.target().createCDPSession();
    await session.send('Browser.setPermission', { origin: pos.origin, permission: { name }, setting: state });
    await session.detach();
  };
  // No override: 127.0.0.1 -> 127.0.0.26 is loopback to loopback, never gated.
  if (want('no override')) {
    const run = await launch('chrome', {});
    try {
      await casePrint(run, pos, local, 'no override, no permission set');
    } finally {
      await run.browser.close();
      run.remove();
    }
  }
  if (want('policy')) {
    // The managed policy an admin uses for a fleet (Chromium reads /etc/chromium/policies/managed
    // at start; run-isolated.sh's overlay keeps the real /etc untouched).
    mkdirSync('/etc/chromium/policies/managed', { recursive: true });
    writeFileSync('/etc/chromium/policies/managed/lna-measure.json', JSON.stringify({ LocalNetworkAccessAllowedForUrls: [pos.origin] }));
    const prun = await launch('chrome', { args: [override] });
    try {
      await sleep(1500);
      await casePrint(prun, pos, local, `policy LocalNetworkAccessAllowedForUrls=[${pos.origin}]`);
    } finally {
      await prun.browser.close();
      prun.remove();
      rmSync('/etc/chromium/policies/managed/lna-measure.json', { force: true });
    }
  }
  const run = await launch('chrome', { args: [override] });
  try {
    for (const state of ['denied', 'prompt', 'granted']) {
      if (!want(state)) continue;
      await perm(run, 'local-network', state);
      await casePrint(run, pos, local, `override public->local, local-network ${state}`, { timeoutMs: 20000 });
    }
    if (want('untrusted')) {
      await perm(run, 'local-network', 'denied');
      await casePrint(run, pos, bad, 'override public->local, untrusted certificate, local-network denied');
    }
    if (want('loopback')) {
      // 127.0.0.28 is not overridden: loopback. Which permission gates a public page's fetch to it?
      await perm(run, 'local-network', 'granted');
      await perm(run, 'loopback-network', 'denied');
      await casePrint(run, pos, loop, 'public->loopback (not overridden), local-network granted, loopback-network denied');
      await perm(run, 'loopback-network', 'granted');
      await casePrint(run, pos, loop, 'public->loopback, loopback-network granted');
    }
    if (want('ctxid')) {
      const page = await run.browser.newPage();
      await page.goto(`${pos.origin}/pos/ui`);
      const session = await run.browser.target().createCDPSession();
      const { targetInfos } = await session.send('Target.getTargets');
      const info = targetInfos.find((t) => t.url.startsWith(pos.origin));
      for (const name of ['local-network', 'loopback-network']) {
        const r = await session.send('Browser.setPermission', { origin: pos.origin, browserContextId: info.browserContextId, permission: { name }, setting: 'granted' }).then(() => 'ok', (e) => e.message);
        out(`chrome: setPermission ${name} ctx ${info.browserContextId}`, { r });
      }
      await session.detach();
      const url = `https://127.0.0.26:${local.port}/cgi-bin/epos/service.cgi?devid=local_printer`;
      out('chrome: same page, after ctx grant', { page: await page.evaluate((u) => window.printTo(u), url), reqs: local.counts.requests.length });
      out('chrome: same page, targetAddressSpace local', { page: await page.evaluate((u) => window.printTo(u, { targetAddressSpace: 'local' }), url), reqs: local.counts.requests.length });
      await page.close();
    }
    if (want('anyorigin')) {
      const session = await run.browser.target().createCDPSession();
      for (const name of ['geolocation', 'local-network', 'loopback-network']) {
        const r1 = await session.send('Browser.setPermission', { origin: pos.origin, permission: { name }, setting: 'granted' }).then(() => 'ok', (e) => e.message);
        out(`chrome: setPermission ${name} origin`, { r1 });
      }
      const page = await run.browser.newPage();
      await page.goto(`${pos.origin}/pos/ui`);
      out('chrome: query after origin grants', await page.evaluate(async () => {
        const o = { isSecureContext, origin: location.origin };
        for (const n of ['geolocation', 'local-network', 'loopback-network']) o[n] = await navigator.permissions.query({ name: n }).then((st) => st.state, (e) => e.message);
        return o;
      }));
      for (const name of ['local-network', 'loopback-network']) {
        const r2 = await session.send('Browser.setPermission', { permission: { name }, setting: 'granted' }).then(() => 'ok', (e) => e.message);
        out(`chrome: setPermission ${name} no origin`, { r2 });
      }
      await page.reload();
      out('chrome: query after any-origin grants', await page.evaluate(async () => {
        const o = {};
        for (const n of ['geolocation', 'local-network', 'loopback-network']) o[n] = await navigator.permissions.query({ name: n }).then((st) => st.state, (e) => e.message);
        return o;
      }));
      await page.close();
      await session.detach();
      await casePrint(run, pos, local, 'after any-origin grant');
    }
    if (want('grantPermissions')) {
      for (const perms of [['localNetwork'], ['localNetwork', 'loopbackNetwork'], ['localNetworkAccess']]) {
        const session = await run.browser.target().createCDPSession();
        const r = await session.send('Browser.grantPermissions', { origin: pos.origin, permissions: perms }).then(() => 'ok', (e) => e.message);
        await session.detach();
        const page = await run.browser.newPage();
        await page.goto(`${pos.origin}/pos/ui`);
        const q = await page.evaluate(async () => {
          const o = {};
          for (const n of ['local-network', 'loopback-network', 'local-network-access']) {
            o[n] = await navigator.permissions.query({ name: n }).then((st) => st.state, (e) => e.message);
          }
          return o;
        });
        out(`chrome: grantPermissions ${perms}`, { r, q });
        await page.close();
        await casePrint(run, pos, local, `grantPermissions ${perms.join('+')}`);
      }
    }
    if (want('names')) {
      for (const names of [['local-network-access'], ['local-network', 'loopback-network'], ['local-network', 'loopback-network', 'local-network-access']]) {
        const session = await run.browser.target().createCDPSession();
        for (const name of names) {
          const r = await session.send('Browser.setPermission', { origin: pos.origin, permission: { name }, setting: 'granted' }).then(() => 'ok', (e) => e.message);
          out(`chrome: setPermission ${name}`, { r });
        }
        await session.detach();
        const page = await run.browser.newPage();
        await page.goto(`${pos.origin}/pos/ui`);
        const q = await page.evaluate(async () => {
          const o = {};
          for (const n of ['local-network', 'loopback-network', 'local-network-access']) {
            o[n] = await navigator.permissions.query({ name: n }).then((s) => s.state, (e) => e.message);
          }
          return o;
        });
        out('chrome: permissions.query', q);
        await page.close();
        await casePrint(run, pos, local, `granted ${names.join('+')}`);
      }
    }
    if (want('xhr')) {
      await perm(run, 'local-network', 'denied');
      await casePrint(run, pos, local, 'XHR, local-network denied', { how: 'xhr' });
    }
    if (want('http')) {
      // Odoo's use_lna: http: with targetAddressSpace "local" (here to a TLS port: what fails first?).
      for (const state of ['denied', 'granted']) {
        await perm(run, 'local-network', state);
        await casePrint(run, pos, local, `http: + targetAddressSpace:"local", local-network ${state}`, { init: { targetAddressSpace: 'local' }, scheme: 'http' });
      }
    }
    if (want('targetAddressSpace')) {
      await perm(run, 'local-network', 'denied');
      await casePrint(run, pos, local, 'fetch with targetAddressSpace:"local", denied', { init: { targetAddressSpace: 'local' } });
    }
  } finally {
    await run.browser.close();
    run.remove();
  }
  for (const server of [pos, local, bad, loop]) server.server.close();
}

async function firefox() {
  const pos = await posServer();
  const local = await countingPrinter('127.0.0.26', tls);
  const bad = await countingPrinter('127.0.0.27', untrusted);
  const lnaPrefs = {
    'network.lna.address_space.public.override': `127.0.0.1:${pos.port}`,
    'network.lna.address_space.private.override': `127.0.0.26:${local.port},127.0.0.27:${bad.port}`,
  };
  const cases = [
    ['no override, default prefs', {}, local, { timeoutMs: 8000 }],
    ['override public->private, permissions.default.local-network=2 (deny)', { ...lnaPrefs, 'permissions.default.local-network': 2 }, local, {}],
    ['override, deny, untrusted certificate', { ...lnaPrefs, 'permissions.default.local-network': 2 }, bad, {}],
    ['override, deny, XHR', { ...lnaPrefs, 'permissions.default.local-network': 2 }, local, { how: 'xhr' }],
    ['override, =1 (allow)', { ...lnaPrefs, 'permissions.default.local-network': 1 }, local, {}],
    ['override, unanswered prompt, network.lna.prompt.timeout=3000', { ...lnaPrefs, 'network.lna.prompt.timeout': 3000 }, local, { timeoutMs: 15000 }],
    ['override, unanswered prompt, default timeout (watched 10 s)', { ...lnaPrefs }, local, { timeoutMs: 10000 }],
  ];
  for (const [name, prefs, target, options] of cases) {
    if (!want(name)) continue;
    const run = await launch('firefox', { prefs });
    try {
      await casePrint(run, pos, target, name, options);
    } finally {
      await run.browser.close();
      run.remove();
    }
  }
  for (const server of [pos, local, bad]) server.server.close();
}

// Kiosk / full screen: an extension opens a tab in the POS window (as the product's prompt does).
async function kiosk(kind) {
  const pos = await posServer();
  const variants =
    kind === 'chrome'
      ? [['--kiosk', ['--kiosk']], ['--start-fullscreen', ['--start-fullscreen']], ['page requestFullscreen (no flag)', []]]
      : [['--kiosk', ['--kiosk']], ['page requestFullscreen (no flag)', []]];
  for (const [name, args] of variants) {
    if (!want('kiosk')) continue;
    const run = await launch(kind, { args });
    try {
      const page = await run.browser.newPage();
      await page.goto(`${pos.origin}/pos/ui`);
      if (name.startsWith('page requestFullscreen')) {
        // A POS that puts itself in element full screen (needs a user gesture: a real click).
        await page.evaluate(() => {
          document.body.addEventListener('click', () => document.documentElement.requestFullscreen().catch(() => {}), { once: true });
        });
        await page.mouse.click(5, 5);
        await sleep(500);
      }
      const from = events.length;
      const fs = await page.evaluate(() => ({ fullscreenElement: !!document.fullscreenElement, w: innerWidth, h: innerHeight, sw: screen.width, sh: screen.height }));
      await page.evaluate(() => window.openTab());
      for (let i = 0; i < 60 && !events.slice(from).some((e) => e.ev === 'kiosk.closed' || e.ev === 'kiosk.failed'); i += 1) await sleep(100);
      const fsAfter = await page.evaluate(() => ({ fullscreenElement: !!document.fullscreenElement, visibility: document.visibilityState }));
      out(`${kind}: ${name}`, { page: { before: fs, after: fsAfter }, extension: events.slice(from).map(({ at: _a, ...e }) => e) });
    } finally {
      await run.browser.close();
      run.remove();
    }
  }
  pos.server.close();
}

try {
  for (const kind of opts.browsers.split(',')) {
    if (kind === 'chrome') await chromium();
    else await firefox();
    await kiosk(kind);
  }
} finally {
  collector.close();
  rmSync(work, { recursive: true, force: true });
}
