// lib/pos_flow.js with small fakes of what it is given: the host (check, trust, relay), the
// grants store, the prompt tabs and a manual clock for the prompt's closing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PosFlow, relayTimeoutMs } from '../../extension/src/lib/pos_flow.js';

const POS = 'https://pos.example.com';
const PRINTER = 'https://192.168.1.25';
const FP = 'ab'.repeat(32);
const OK_BODY =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="true" code="" status="251658262" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>';
const COVER_BODY = OK_BODY.replace('success="true" code=""', 'success="false" code="EPTR_COVER_OPEN"');

const tick = () => new Promise((resolve) => setImmediate(resolve));
async function settle() {
  for (let i = 0; i < 10; i += 1) await tick();
}

function inspectFor(url, { verdict = 'usable', trusted = false } = {}) {
  const target = new URL(url);
  return {
    target: { url, host: target.hostname, port: Number(target.port || 443) },
    certificate: { sha256: FP, names: [{ type: 'ip', value: target.hostname, scope: 'local' }], san: [] },
    epos: { is_epos: true },
    verdict: { chrome: verdict, firefox: verdict },
    trusted: { stores: trusted ? ['nss:x'] : [] },
    findings: [],
  };
}

function fakes({ decision = { action: 'prompt', reason: 'new_printer' }, relayBody = OK_BODY, hostKnows = false } = {}) {
  const log = { checks: [], trusts: [], relays: [], opened: [], closed: [], timers: [] };
  const trusted = new Set(hostKnows ? [`${POS} ${PRINTER}`] : []);
  const grants = new Set();
  let nextTab = 100;
  const flow = new PosFlow({
    check: async (printer) => {
      log.checks.push(printer);
      return { decision, inspect: inspectFor(printer) };
    },
    trust: async (printer, sha256, origin) => {
      log.trusts.push({ printer, sha256, origin });
      trusted.add(`${origin} ${printer}`);
      return { effect: 'now' };
    },
    relay: async (request) => {
      log.relays.push(request);
      if (!trusted.has(`${request.origin} ${request.url}`)) throw Object.assign(new Error('no'), { code: 'relay_not_trusted' });
      return { status: 200, status_text: 'OK', content_type: 'text/xml; charset=utf-8', body: relayBody, sha256: FP };
    },
    grants: {
      has: async (o, p) => grants.has(`${o} ${p}`),
      add: async (o, p) => void grants.add(`${o} ${p}`),
      remove: async (o, p) => void grants.delete(`${o} ${p}`),
    },
    prompts: {
      open: async (questionId, posTab) => {
        log.opened.push({ questionId, posTab });
        return nextTab++;
      },
      close: async (promptTabId, posTabId) => void log.closed.push({ promptTabId, posTabId }),
    },
    isLocal: async (printer) => new URL(printer).hostname.startsWith('192.168.'),
    later: (fn, ms) => log.timers.push({ fn, ms }),
  });
  return { flow, log, grants, trusted };
}

const TAB = { id: 7, windowId: 3, index: 2 };
const hold = (id, url = `${PRINTER}/cgi-bin/epos/service.cgi?devid=local_printer&timeout=10000`, extra = {}) => ({
  id,
  url,
  method: 'POST',
  body: '<epos-print/>',
  contentType: 'text/plain;charset=UTF-8',
  ...extra,
});

test('requests that are not a local ePOS print go on untouched, with no host call', async () => {
  const { flow, log } = fakes();
  assert.deepEqual(await flow.print(TAB, POS, hold(1, 'https://192.168.1.25/index.html')), { outcome: 'direct' });
  assert.deepEqual(await flow.print(TAB, POS, hold(2, 'https://8.8.8.8/cgi-bin/epos/service.cgi')), { outcome: 'direct' });
  assert.deepEqual(await flow.print(TAB, POS, hold(3, undefined, { method: 'GET' })), { outcome: 'direct' });
  assert.deepEqual(await flow.print(TAB, POS, hold(4, 'not a url')), { outcome: 'direct' });
  assert.equal(log.relays.length + log.checks.length, 0);
});

test('a new printer: one prompt tab in the POS window next to it; Trust -> trusted for the origin, relayed, printed', async () => {
  const { flow, log } = fakes();
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  assert.equal(log.opened.length, 1);
  assert.deepEqual(log.opened[0].posTab, TAB);
  const { questionId } = log.opened[0];
  const states = [];
  flow.watch(questionId, (m) => states.push(m.state));
  const model = flow.model(questionId);
  assert.equal(model.state, 'asking');
  assert.equal(model.origin, POS);
  assert.equal(model.address, '192.168.1.25:443');
  assert.deepEqual(model.names, [{ type: 'ip', value: '192.168.1.25', scope: 'local' }]);
  // Nothing was trusted or printed while the person reads.
  assert.equal(log.trusts.length, 0);
  await flow.answer(questionId, 'trust');
  assert.deepEqual(log.trusts, [{ printer: PRINTER, sha256: FP, origin: POS }]);
  const result = await answer;
  assert.equal(result.outcome, 'relay');
  assert.deepEqual(result.response, { status: 200, statusText: 'OK', contentType: 'text/xml; charset=utf-8', body: OK_BODY });
  const sent = log.relays.at(-1);
  assert.deepEqual(sent, {
    url: PRINTER,
    path: '/cgi-bin/epos/service.cgi',
    query: 'devid=local_printer&timeout=10000',
    method: 'POST',
    body: '<epos-print/>',
    content_type: 'text/plain;charset=UTF-8',
    origin: POS,
    timeout_ms: 15000,
  });
  // "printed" only after the printer's answer, never before.
  assert.deepEqual(states, ['trusting', 'printing', 'printed']);
  assert.equal(log.timers.length, 1);
  assert.equal(log.timers[0].ms, 1500);
  await log.timers[0].fn();
  assert.deepEqual(log.closed, [{ promptTabId: 100, posTabId: 7 }]);
  // A later print from that origin to that printer goes through the relay with no question.
  const again = await flow.print(TAB, POS, hold(2));
  assert.equal(again.outcome, 'relay');
  assert.equal(log.opened.length, 1);
  assert.equal(log.checks.length, 1);
});

test('repeats for the same printer, in any spelling, join the one open question', async () => {
  const { flow, log } = fakes();
  const a = flow.print(TAB, POS, hold(1));
  await settle();
  const b = flow.print(TAB, POS, hold(2, 'https://192.168.1.25:443/cgi-bin/epos/service.cgi?devid=local_printer'));
  const c = flow.print({ ...TAB, id: 8 }, POS, hold(3, 'https://192.168.1.25/cgi-bin/epos/service.cgi'));
  await settle();
  assert.equal(log.opened.length, 1);
  assert.equal(flow.model(log.opened[0].questionId).held, 3);
  await flow.answer(log.opened[0].questionId, 'trust');
  for (const r of await Promise.all([a, b, c])) assert.equal(r.outcome, 'relay');
  assert.equal(log.trusts.length, 1);
});

test('at most three prints wait per tab; the rest fail at once', async () => {
  const { flow, log } = fakes();
  const held = [1, 2, 3].map((id) => flow.print(TAB, POS, hold(id)));
  await settle();
  assert.deepEqual(await flow.print(TAB, POS, hold(4)), { outcome: 'failed' });
  await flow.answer(log.opened[0].questionId, 'decline');
  for (const r of await Promise.all(held)) assert.deepEqual(r, { outcome: 'failed' });
  // Answered: the tab may hold again.
  void flow.print(TAB, POS, hold(5));
  await settle();
  assert.equal(log.opened.length, 2);
});

test('Not now: nothing trusted, nothing relayed after, the print fails, the prompt closes', async () => {
  const { flow, log } = fakes();
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  const { questionId } = log.opened[0];
  await flow.answer(questionId, 'decline');
  assert.deepEqual(await answer, { outcome: 'failed' });
  assert.equal(log.trusts.length, 0);
  assert.equal(log.relays.length, 1); // the one look before asking, refused by the host
  assert.equal(flow.model(questionId).state, 'declined');
  await log.timers[0].fn();
  assert.equal(log.closed.length, 1);
  // A second Trust on the answered question does nothing.
  await flow.answer(questionId, 'trust');
  assert.equal(log.trusts.length, 0);
});

test('closing the prompt tab is Not now', async () => {
  const { flow, log } = fakes();
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  flow.promptGone(log.opened[0].questionId);
  assert.deepEqual(await answer, { outcome: 'failed' });
  assert.equal(log.trusts.length, 0);
});

test('the printer refuses the receipt (cover open): the page gets its answer, the prompt says print_failed', async () => {
  const { flow, log } = fakes({ relayBody: COVER_BODY });
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  const { questionId } = log.opened[0];
  await flow.answer(questionId, 'trust');
  const result = await answer;
  assert.equal(result.outcome, 'relay');
  assert.equal(result.response.body, COVER_BODY);
  const model = flow.model(questionId);
  assert.equal(model.state, 'print_failed');
  assert.equal(model.reason, 'epos:EPTR_COVER_OPEN');
  assert.equal(log.timers.length, 0); // stays open: it says what to do
  flow.dismiss(questionId);
  assert.equal(log.closed.length, 1);
});

test('a relay failure after Trust rejects the page (failed) and says why', async () => {
  const { flow, log } = fakes();
  flow.relay = async (request) => {
    log.relays.push(request);
    throw Object.assign(new Error('x'), { code: log.trusts.length ? 'unreachable' : 'relay_not_trusted' });
  };
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  await flow.answer(log.opened[0].questionId, 'trust');
  assert.deepEqual(await answer, { outcome: 'failed' });
  assert.equal(flow.model(log.opened[0].questionId).reason, 'unreachable');
  // A later print while the printer is off fails too, without a new question.
  assert.deepEqual(await flow.print(TAB, POS, hold(2)), { outcome: 'failed' });
  assert.equal(log.opened.length, 1);
});

test('the host already allows this origin (an earlier session, an admin pin): relayed with no question', async () => {
  const { flow, log, grants } = fakes({ hostKnows: true });
  assert.equal((await flow.print(TAB, POS, hold(1))).outcome, 'relay');
  assert.equal(log.opened.length + log.checks.length, 0);
  assert.ok(grants.has(`${POS} ${PRINTER}`));
});

test('http: (use_lna): direct unless the printer is trusted for this origin, then relayed over https', async () => {
  const { flow, log, grants } = fakes();
  const httpHold = hold(1, 'http://192.168.1.25/cgi-bin/epos/service.cgi?devid=local_printer');
  assert.deepEqual(await flow.print(TAB, POS, httpHold), { outcome: 'direct', retry: true });
  assert.equal(log.relays.length + log.opened.length, 0);
  grants.add(`${POS} ${PRINTER}`);
  log.trusts.length = 0;
  flow.trust(PRINTER, FP, POS);
  const relayed = await flow.print(TAB, POS, httpHold);
  assert.equal(relayed.outcome, 'relay');
  assert.equal(log.relays.at(-1).url, PRINTER);
});

test('http: (use_lna) that the browser failed: the same print is held and asked about, as https', async () => {
  const { flow, log } = fakes();
  const failed = { ...hold(1, 'http://192.168.1.25/cgi-bin/epos/service.cgi?devid=local_printer'), afterDirectFailure: true };
  const answer = flow.print(TAB, POS, failed);
  await settle();
  assert.equal(log.opened.length, 1, 'the question opens for the print the browser could not send');
  assert.equal(log.relays.at(-1)?.url ?? PRINTER, PRINTER);
  await flow.answer(log.opened[0].questionId, 'decline');
  assert.equal((await answer).outcome, 'failed');
});

test('a certificate that cannot work: no question, the print fails at once, the tab explains', async () => {
  const { flow, log } = fakes({ decision: { action: 'explain', reason: 'unusable' } });
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  assert.deepEqual(await answer, { outcome: 'failed' });
  assert.equal(log.opened.length, 1);
  const model = flow.model(log.opened[0].questionId);
  assert.equal(model.state, 'failed');
  assert.equal(model.action, 'explain');
  await flow.answer(model.id, 'trust');
  assert.equal(log.trusts.length, 0);
});

test('a device that is not an Epson printer, with an untrusted certificate: the tab says so, the page gets failed as for a declined printer', async () => {
  const { flow, log } = fakes({ decision: { action: 'pass', reason: 'not_epos' } });
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  assert.deepEqual(await answer, { outcome: 'failed' });
  assert.equal(log.opened.length, 1);
  const model = flow.model(log.opened[0].questionId);
  assert.equal(model.state, 'failed');
  assert.equal(model.decisionReason, 'not_epos');
});

test('no host, unreachable: direct, as without the extension', async () => {
  for (const reason of ['host_missing', 'unreachable']) {
    const action = reason === 'host_missing' ? 'explain' : 'pass';
    const { flow, log } = fakes({ decision: { action, reason } });
    assert.deepEqual(await flow.print(TAB, POS, hold(1)), { outcome: 'direct' }, reason);
    assert.equal(log.opened.length, 0, reason);
  }
});

test('pinned by the administrator: trusted for the origin and relayed, no prompt', async () => {
  const { flow, log } = fakes({ decision: { action: 'trust', reason: 'pinned' } });
  assert.equal((await flow.print(TAB, POS, hold(1))).outcome, 'relay');
  assert.equal(log.opened.length, 0);
  assert.deepEqual(log.trusts, [{ printer: PRINTER, sha256: FP, origin: POS }]);
});

test('an explicit abort drops the held print: it is never sent after Trust', async () => {
  const { flow, log } = fakes();
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  flow.cancel(TAB.id, 1);
  assert.deepEqual(await answer, { outcome: 'failed' });
  await flow.answer(log.opened[0].questionId, 'trust');
  assert.equal(log.relays.length, 1); // only the look before asking
  assert.equal(flow.model(log.opened[0].questionId).state, 'trusted');
});

test('one question per POS origin: another printer waits for the first answer', async () => {
  const { flow, log } = fakes();
  const a = flow.print(TAB, POS, hold(1));
  await settle();
  const b = flow.print(TAB, POS, hold(2, 'https://192.168.1.26/cgi-bin/epos/service.cgi'));
  await settle();
  assert.equal(log.opened.length, 1);
  await flow.answer(log.opened[0].questionId, 'trust');
  assert.equal((await a).outcome, 'relay');
  await settle();
  assert.equal(log.opened.length, 2);
  assert.equal(flow.model(log.opened[1].questionId).printer, 'https://192.168.1.26');
  await flow.answer(log.opened[1].questionId, 'decline');
  assert.deepEqual(await b, { outcome: 'failed' });
});

test('reactive: a print the hook could not hold brings the question; after Trust: print again', async () => {
  const { flow, log } = fakes();
  const id = await flow.reactive(TAB, POS, `${PRINTER}/cgi-bin/epos/service.cgi`);
  assert.equal(log.opened.length, 1);
  assert.equal(flow.model(id).reactive, true);
  await flow.answer(id, 'trust');
  assert.equal(flow.model(id).state, 'trusted');
  assert.equal((await flow.print(TAB, POS, hold(1))).outcome, 'relay');
});

test('the relay timeout follows the ePOS job timeout, within the host limits', () => {
  assert.equal(relayTimeoutMs('devid=local_printer'), 15000);
  assert.equal(relayTimeoutMs('devid=local_printer&timeout=10000'), 15000);
  assert.equal(relayTimeoutMs('timeout=60000'), 60000);
  assert.equal(relayTimeoutMs('timeout=1'), 5001);
  assert.equal(relayTimeoutMs('timeout=abc'), 15000);
});

test('a host without the relay: after Trust the browser sends the print itself, and nothing claims "printed"', async () => {
  const { flow, log } = fakes();
  flow.relay = async (request) => {
    log.relays.push(request);
    throw Object.assign(new Error('old'), { code: 'host_too_old' });
  };
  const answer = flow.print(TAB, POS, hold(1));
  await settle();
  const { questionId } = log.opened[0];
  await flow.answer(questionId, 'trust');
  assert.deepEqual(await answer, { outcome: 'direct' });
  const model = flow.model(questionId);
  assert.equal(model.state, 'trusted');
  assert.equal(model.reason, 'direct');
});
