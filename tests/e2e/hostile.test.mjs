// Hostile pages against the decision surface (docs/design.md: what a page can and cannot do), one
// browser per run (EPOS_E2E_BROWSER = chrome | firefox; CTest runs both), the POS on a PUBLIC
// origin and the printer LOCAL (docs/browser-behaviour.md §9). Every attack asserts that NOTHING
// was installed (certutil on the browser's NSS database and the host's journal) and that nothing
// false was said (no prompt where none belongs, no "printed", no fact the page may not learn).
// Run through run-isolated.sh (loopback-only network, private /etc overlay), as CTest does.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setLocalSettings } from './lib/browsers.mjs';
import { startPrinter } from './lib/emulator.mjs';
import { shapePage } from './lib/odoo_pages.mjs';
import { requireBuilt } from './lib/paths.mjs';
import {
  activeTabUrls,
  clickDecline,
  clickTrust,
  expectNoPromptTab,
  promptFacts,
  promptTabs,
  waitForPageResult,
  waitForPromptState,
  waitForPromptTab,
} from './lib/prompt_tab.mjs';
import { TEST_NETWORKS, assertNothingInstalled } from './lib/browser_session.mjs';
import { openPos, withPublicPos } from './lib/public_pos.mjs';
import { record, report } from './lib/results.mjs';
import { writeSelfSigned } from './lib/test_origin.mjs';

const KIND = process.env.EPOS_E2E_BROWSER ?? 'chrome';
const NAME = KIND === 'chrome' ? 'Chromium' : 'Firefox ESR';
before(() => requireBuilt());
after(() => report(`${NAME}, hostile pages`));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every spelling of a SHA-256 fingerprint a page could have learnt (hex, colon-separated, base64).
function fingerprintSpellings(hex) {
  const lower = hex.toLowerCase();
  return [lower, lower.match(/../g).join(':'), Buffer.from(lower, 'hex').toString('base64'), lower.slice(0, 16)];
}
function assertNoFingerprint(text, hex, what) {
  const low = String(text).toLowerCase();
  for (const s of fingerprintSpellings(hex)) assert.ok(!low.includes(s.toLowerCase()), `${what} holds the fingerprint (${s})`);
}

// A page's own search for the prompt: the DOM, every open shadow root, the text of the document.
const SEARCH_FOR_PROMPT = `
window.searchForPrompt = () => {
  const found = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (tag.includes('epos') || el.matches('[data-role=trust],[data-role=decline],#fingerprint,#verdict,#names')) found.push(tag);
      if (el.shadowRoot) { found.push('shadow:' + tag); visit(el.shadowRoot); }
    }
  };
  visit(document);
  return { found, html: document.documentElement.outerHTML, text: document.body.innerText };
};
// Everything the bridge says on the page's document (any epos-trust:* event): the page hears it.
window.heard = [];
for (const name of ['epos-trust:ack', 'epos-trust:answer', 'epos-trust:hold', 'epos-trust:cancel', 'epos-trust:prompt', 'epos-trust:trusted']) {
  document.addEventListener(name, (e) => window.heard.push({ name, detail: String(e.detail) }), true);
}
`;

test('the page looks for the prompt in its DOM and shadow roots, and finds nothing; it hears only asked/answered', async () => {
  const pages = (ip) => (url) => (url.startsWith('/pos/ui') ? shapePage('odoo17', ip, { extraScript: SEARCH_FOR_PROMPT }) : null);
  await withPublicPos(KIND, { name: 'dom-search', pages }, async ({ run, sandbox, pos, printer }) => {
    const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await prompt.waitForSelector('[data-role=trust]:not([hidden])');
    const seen = await page.evaluate(() => window.searchForPrompt());
    assert.deepEqual(seen.found, [], `the page found prompt parts: ${seen.found}`);
    assertNoFingerprint(seen.html, printer.sha256, 'the POS page');
    assert.doesNotMatch(seen.text, /Trust|Epson|fingerprint/i);
    // Before any answer: nothing installed, nothing printed.
    assertNothingInstalled(KIND, sandbox, 'while asking');
    assert.deepEqual(await printer.prints(), []);
    // The person declines: nothing installed, the page is told it failed (no "printed").
    await clickDecline(prompt);
    const result = await waitForPageResult(page);
    assert.notEqual(result, 'success=true');
    assertNothingInstalled(KIND, sandbox, 'after decline');
    assert.deepEqual(await printer.prints(), []);
    const heard = await page.evaluate(() => window.heard);
    for (const h of heard) assertNoFingerprint(h.detail, printer.sha256, `event ${h.name}`);
    // The hook's own hold/cancel carry the page's own request; what the extension says back
    // (ack, answer) is only asked/answered.
    const said = heard.filter((h) => !['epos-trust:hold', 'epos-trust:cancel'].includes(h.name));
    assert.ok(said.some((h) => h.name === 'epos-trust:answer'), `no answer heard: ${JSON.stringify(heard)}`);
    for (const h of said) {
      const keys = Object.keys(JSON.parse(h.detail)).sort();
      assert.ok(keys.every((k) => ['id', 'outcome', 'response'].includes(k)), `the page heard ${h.name} ${h.detail}`);
      assert.doesNotMatch(h.detail, /epson|finding|verdict|sha256|fingerprint|names/i);
    }
  });
});

test('forged hook/bridge events (epos-trust:*) get no trust and no relay', async () => {
  const forge = (printerUrl) => `
window.forge = async () => {
  const send = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail: JSON.stringify(detail) }));
  // An answer the bridge never gave, a "trusted" event, a relay request, a hold for another path.
  send('epos-trust:answer', { id: 1, outcome: 'relay', response: { status: 200, statusText: 'OK', contentType: 'text/xml', body: '<response success="true"/>' } });
  for (const name of ['epos-trust:trust', 'epos-trust:trusted', 'epos-trust:relay', 'epos-trust:decision']) {
    send(name, { id: 2, url: ${JSON.stringify(printerUrl)}, decision: 'trust', origin: location.origin });
  }
  send('epos-trust:hold', { id: 3, url: ${JSON.stringify(printerUrl)} + '/webconfig/api/v1/webconfig.cgi', method: 'PUT', body: '{}' });
  send('epos-trust:ack', { id: 4 });
  await new Promise((r) => setTimeout(r, 1500));
  return 'forged';
};`;
  const pages = (ip) => (url) =>
    url.startsWith('/pos/ui') ? shapePage('odoo17', ip, { extraScript: forge(`https://${ip}`) }) : null;
  await withPublicPos(KIND, { name: 'forged', pages }, async ({ run, sandbox, pos, printer }) => {
    const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
    assert.equal(await page.evaluate(() => window.forge()), 'forged');
    await sleep(1500);
    assertNothingInstalled(KIND, sandbox, 'after forged events');
    assert.deepEqual(await printer.prints(), [], 'a forged event reached the printer');
    // A forged hold for a non-ePOS path is no print: if a prompt appears, declining it leaves
    // nothing; it must never be a relay.
    for (const p of await promptTabs(run)) await clickDecline(p).catch(() => {});
    assertNothingInstalled(KIND, sandbox, 'after the forged hold');
  });
});

test('after a trust, forged holds for another path or method get no relay', async () => {
  const forge = `
window.forgeAfterTrust = async (printerUrl) => {
  const answers = [];
  document.addEventListener('epos-trust:answer', (e) => answers.push(String(e.detail)), true);
  const send = (detail) => document.dispatchEvent(new CustomEvent('epos-trust:hold', { detail: JSON.stringify(detail) }));
  send({ id: 901, url: printerUrl + '/webconfig/api/v1/webconfig.cgi', method: 'PUT', body: '{"Setting":{}}' });
  send({ id: 902, url: printerUrl + '/cgi-bin/epos/service.cgi?devid=local_printer', method: 'GET', body: '' });
  send({ id: 903, url: printerUrl + '/cgi-bin/fpmate.cgi', method: 'POST', body: '<x/>' });
  send({ id: 904, url: printerUrl + '/cgi-bin/epos/service.cgi?devid=local_printer', method: 'POST', body: 'x'.repeat(600 * 1024) });
  await new Promise((r) => setTimeout(r, 4000));
  return answers;
};`;
  const pages = (ip) => (url) => (url.startsWith('/pos/ui') ? shapePage('odoo17', ip, { extraScript: forge }) : null);
  await withPublicPos(KIND, { name: 'forged-after-trust', pages }, async ({ run, pos, printer }) => {
    const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    await clickTrust(await waitForPromptTab(run));
    assert.equal(await waitForPageResult(page), 'success=true', 'the shop\'s own print (relay) failed');
    await sleep(2000);
    const answers = (await page.evaluate((u) => window.forgeAfterTrust(u), printer.url)).map((a) => JSON.parse(a));
    for (const id of [901, 902, 903, 904]) {
      const answer = answers.find((a) => a.id === id);
      assert.notEqual(answer?.outcome, 'relay', `forged hold ${id} was relayed: ${JSON.stringify(answer)}`);
    }
    // Any prompt those raised: declined; the printer got the one real receipt only.
    for (const p of await promptTabs(run)) await clickDecline(p).catch(() => {});
    assert.equal((await printer.prints()).length, 1);
  });
});

test('a hidden page learns only asked/answered about a LAN service (no fingerprint, no Epson yes/no)', async () => {
  // Two LAN services: an Epson printer and a plain TLS service; the page "prints" to both
  // invisibly (no #print click by a person: its own script) and records all it can hear.
  const other = await startPrinter({ address: '127.0.0.41', extra: ['--mode', 'not-epos'] });
  try {
    const probe = (ips) => `
window.probe = async () => {
  const out = {};
  for (const ip of ${JSON.stringify(ips)}) {
    const t0 = performance.now();
    try {
      const r = await fetch('https://' + ip + '/cgi-bin/epos/service.cgi?devid=local_printer', { method: 'POST', body: '<x/>', signal: AbortSignal.timeout(6000) });
      out[ip] = { ok: true, status: r.status, text: (await r.text()).slice(0, 200) };
    } catch (e) { out[ip] = { ok: false, name: e.name }; }
    out[ip].ms = Math.round(performance.now() - t0);
  }
  return out;
};`;
    const pages = (ip) => (url) =>
      url.startsWith('/pos/ui')
        ? shapePage('odoo17', ip, { extraScript: SEARCH_FOR_PROMPT + probe([ip, `127.0.0.41:${other.port}`]) }).replace(
            '<body>',
            '<body style="width:0;height:0;overflow:hidden">',
          )
        : null;
    await withPublicPos(KIND, { name: 'hidden-probe', pages }, async ({ run, sandbox, pos, printer }) => {
      const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
      const probing = page.evaluate(() => window.probe());
      // Prompts may open (the person sees them: that is the point); nobody answers; close them.
      await sleep(7000);
      for (const p of await promptTabs(run)) await p.close().catch(() => {});
      const learnt = await probing;
      const heard = await page.evaluate(() => window.heard);
      const all = JSON.stringify({ learnt, heard });
      assertNoFingerprint(all, printer.sha256, 'what the page learnt (printer)');
      assertNoFingerprint(all, other.sha256, 'what the page learnt (other service)');
      assert.doesNotMatch(all, /epson|verdict|finding|names/i);
      // The two services look alike to the page: neither answered (no one trusted anything), and
      // the extension's answer (outcome) is the same for the Epson printer and the other service.
      for (const r of Object.values(learnt)) assert.equal(r.ok, false, `a service answered the page: ${all}`);
      const outcomeOf = (ip) => {
        const hold = heard.find((h) => h.name === 'epos-trust:hold' && h.detail.includes(ip));
        if (!hold) return 'not held';
        const id = JSON.parse(hold.detail).id;
        const answer = heard.find((h) => h.name === 'epos-trust:answer' && JSON.parse(h.detail).id === id);
        return answer ? JSON.parse(answer.detail).outcome : 'no answer';
      };
      const epsonIp = Object.keys(learnt)[0];
      const otherIp = Object.keys(learnt)[1];
      record('hidden probe: the page\'s wait for the Epson printer', learnt[epsonIp].ms);
      record('hidden probe: the page\'s wait for the other TLS service', learnt[otherIp].ms);
      assert.equal(outcomeOf(otherIp), outcomeOf(epsonIp), `the page tells an Epson printer from another service: ${all}`);
      assertNothingInstalled(KIND, sandbox, 'after the hidden probe');
    });
  } finally {
    other.stop();
  }
});

test('a cross-origin iframe inside the POS raises no prompt', async () => {
  // The POS page frames another origin (an ad, a widget, an injected frame) that prints like Odoo.
  const pages = (ip) => (url) =>
    url.startsWith('/pos/ui')
      ? shapePage('odoo17', ip, {
          extraScript: `window.addFrame = (src) => { const f = document.createElement('iframe'); f.src = src; document.body.append(f); };`,
        })
      : null;
  await withPublicPos(KIND, { name: 'iframe', pages, companions: 1 }, async ({ run, sandbox, pos, printer, printerIp, companions }) => {
    const [framed] = companions;
    framed.setPages(() => shapePage('odoo17', printerIp));
    const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
    await page.evaluate((src) => window.addFrame(src), `${framed.origin}/pos/ui?config_id=1`);
    let frame = null;
    for (let i = 0; i < 100 && !frame; i += 1) {
      frame = page.frames().find((f) => f.url().startsWith(framed.origin));
      if (frame && !(await frame.$('#print').catch(() => null))) frame = null;
      if (!frame) await sleep(50);
    }
    assert.ok(frame, 'the framed page never loaded (the test would prove nothing)');
    await frame.click('#print');
    const result = await waitForPageResult(frame);
    assert.notEqual(result, 'success=true');
    await expectNoPromptTab(run, 3000);
    assertNothingInstalled(KIND, sandbox, 'after the framed print');
    assert.deepEqual(await printer.prints(), []);
  });
});

test('an unconfigured https://…/pos/ui page gets no prompt and no relay', async () => {
  await withPublicPos(KIND, { name: 'unconfigured', configure: false }, async ({ run, sandbox, pos, printer }) => {
    await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true });
    const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const result = await waitForPageResult(page);
    assert.equal(result, 'Connection to the printer failed');
    await expectNoPromptTab(run, 3000);
    assertNothingInstalled(KIND, sandbox, 'unconfigured POS');
    assert.deepEqual(await printer.prints(), []);
  });
});

test('a page on a /pos/ path of another origin gets no relay to a printer trusted for the POS', async () => {
  await withPublicPos(KIND, { name: 'other-origin', companions: 1 }, async ({ run, pos, printer, printerIp, companions }) => {
    const [hostile] = companions;
    hostile.setPages((url) => (url.startsWith('/pos/') ? shapePage('odoo17', printerIp) : null));
    // The shop trusts its printer from its own POS.
    const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    await clickTrust(prompt);
    assert.equal(await waitForPageResult(page), 'success=true', 'the shop\'s own print (relay) failed');
    const before = (await printer.prints()).length;
    // Another origin, unconfigured: nothing; then the worst case, one the person also named (it
    // passes the extension's origin gate): still no relay without its own decision.
    for (const configured of [false, true]) {
      if (configured) await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true, odooOrigins: [pos.origin, hostile.origin] });
      const evil = await openPos(run, `${hostile.origin}/pos/ui?config_id=1`);
      await evil.click('#print');
      await sleep(3000);
      for (const p of await promptTabs(run)) {
        const facts = await promptFacts(p);
        assert.equal(facts.origin, hostile.origin, 'a prompt for the other origin names it');
        await clickDecline(p).catch(() => {});
      }
      const result = await waitForPageResult(evil);
      assert.notEqual(result, 'success=true', `the other origin printed (configured: ${configured})`);
      const after = await printer.prints();
      assert.equal(after.length, before, `a print from the other origin reached the printer (configured: ${configured})`);
      await evil.close();
    }
  });
});

test('a rogue printer certificate naming public sites: shown, refused (certificate_too_broad), nothing installed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'epos-rogue-'));
  try {
    const files = writeSelfSigned(dir, '127.0.0.25', { names: ['127.0.0.25', 'www.example-bank.com', '*.odoo.com', 'accounts.google.com'] });
    const printerOptions = { extra: ['--cert', files.cert, '--key', files.key] };
    assert.match(readFileSync(files.cert, 'utf8'), /BEGIN CERTIFICATE/);
    await withPublicPos(KIND, { name: 'rogue', printerOptions }, async ({ run, sandbox, pos, printer }) => {
      const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
      await page.click('#print');
      const prompt = await waitForPromptTab(run);
      await prompt.waitForSelector('#names li', { timeout: 15000 });
      const facts = await promptFacts(prompt);
      const publicNames = facts.names.filter((n) => n.scope === 'public').map((n) => n.value);
      for (const name of ['www.example-bank.com', '*.odoo.com', 'accounts.google.com']) {
        assert.ok(publicNames.some((v) => v.includes(name)), `${name} not shown as public: ${JSON.stringify(facts.names)}`);
      }
      if (facts.trustButton) {
        await clickTrust(prompt);
        assert.equal((await waitForPromptState(prompt, ['failed', 'declined', 'printed', 'print_failed'])).state, 'failed');
      }
      assert.notEqual(await waitForPageResult(page), 'success=true');
      assertNothingInstalled(KIND, sandbox, 'rogue certificate');
      assert.deepEqual(await printer.prints(), []);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('40 held prints to silent addresses do not delay the shop printer\'s prompt; none is released untrusted', async () => {
  // The flood comes from another configured POS origin in another tab (a compromised page of a
  // second shop, say): the host checks each silent address until its own deadline, and the shop
  // printer's check must not wait behind them (the host runs requests concurrently).
  const silent = [];
  for (let i = 0; i < 40; i += 1) silent.push(await startPrinter({ address: `127.0.1.${10 + i}`, extra: ['--mode', 'stall'] }));
  try {
    const ips = silent.map((p) => `${p.address}:${p.port}`);
    const floodPage = (flooder) => flooder.setPages(() => `<!doctype html><title>POS</title><button id="print">x</button><script>
window.floodResults = [];
window.flood = () => {
  for (const ip of ${JSON.stringify(ips)}) {
    fetch('https://' + ip + '/cgi-bin/epos/service.cgi?devid=local_printer', { method: 'POST', body: '<x/>' })
      .then((r) => r.text()).then((t) => window.floodResults.push({ ip, text: t.slice(0, 80) }), (e) => window.floodResults.push({ ip, error: e.name }));
  }
};</script>`);
    await withPublicPos(KIND, { name: 'flood', companions: 1 }, async ({ run, sandbox, pos, companions }) => {
      const [flooder] = companions;
      floodPage(flooder);
      await setLocalSettings(run, { networks: TEST_NETWORKS, precheck: true, odooOrigins: [pos.origin, flooder.origin] });
      // The shop printer's prompt, answerable (its Trust button shown): its own tab.
      const answerable = async () => {
        const end = Date.now() + 15000;
        while (Date.now() < end) {
          for (const p of await promptTabs(run)) {
            const facts = await promptFacts(p).catch(() => null);
            if (facts?.address?.includes('127.0.0.25') && facts.trustButton) return p;
          }
          await sleep(50);
        }
        return null;
      };
      const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
      // Without the flood first: how long the prompt takes to be answerable here.
      let t0 = Date.now();
      await page.click('#print');
      const quiet = await answerable();
      assert.ok(quiet, 'no answerable prompt even without a flood');
      const quietMs = record('flood: the shop printer\'s prompt answerable, no flood', Date.now() - t0);
      await clickDecline(quiet);
      assert.notEqual(await waitForPageResult(page), 'success=true');
      await sleep(2000); // the declined prompt closes itself
      const flooding = await openPos(run, `${flooder.origin}/pos/ui?config_id=9`);
      await flooding.evaluate(() => window.flood());
      await sleep(500);
      await page.bringToFront();
      t0 = Date.now();
      await page.click('#print');
      const shopPrompt = await answerable();
      const delay = Date.now() - t0;
      record('flood: the shop printer\'s prompt answerable, 40 silent holds from another tab', delay);
      assert.ok(shopPrompt, 'the shop printer\'s prompt never became answerable within 15 s of the flood');
      assert.ok(delay < Math.max(5000, 3 * quietMs), `the shop printer's prompt waited ${delay} ms behind the flood (${quietMs} ms without)`);
      await clickDecline(shopPrompt);
      const results = await flooding.evaluate(() => window.floodResults);
      assert.ok(results.every((r) => !String(r.text ?? '').includes('success')), `released: ${JSON.stringify(results)}`);
      assertNothingInstalled(KIND, sandbox, 'flood');
    });
  } finally {
    for (const p of silent) p.stop();
  }
});

// Measured (tests/e2e/measure_lna.mjs): headless Chromium with --kiosk or --start-fullscreen and
// headless Firefox with --kiosk report the window as "fullscreen"; an extension tab created with
// {windowId, index, openerTabId, active: true} is active in that same window, which stays
// "fullscreen", and the POS tab is active again when it is removed (docs/browser-behaviour.md §9).
test('kiosk window: the prompt tab opens in the full-screen kiosk window and the answer returns to the POS', async () => {
  await withPublicPos(KIND, { name: 'kiosk', launchOptions: { extraArgs: ['--kiosk'] } }, async ({ run, pos, printer, ext }) => {
    const page = await openPos(run, `${pos.origin}/pos/ui?config_id=1`);
    await page.click('#print');
    const prompt = await waitForPromptTab(run);
    const active = await activeTabUrls(ext);
    const shown = active.find((t) => t.url.includes('prompt/prompt.html'));
    assert.ok(shown, `the prompt is not the active tab: ${JSON.stringify(active)}`);
    assert.equal(shown.state, 'fullscreen', 'the kiosk window left full screen');
    await clickTrust(prompt);
    assert.equal(await waitForPageResult(page), 'success=true');
    assert.equal((await printer.prints()).length, 1);
    await sleep(2500);
    const back = await activeTabUrls(ext);
    const pos2 = back.find((t) => t.url.startsWith(pos.origin));
    assert.ok(pos2, `the POS tab is not active again: ${JSON.stringify(back)}`);
    assert.equal(pos2.state, 'fullscreen');
    assert.equal(pos2.windowId, shown.windowId, 'the prompt opened in another window');
  });
});
