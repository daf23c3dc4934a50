// The Odoo POS flow (docs/design.md): a print the page hook held (pos/page_hook.js) becomes at most
// one question to the person per POS origin, asked on the extension's own prompt tab; after Trust
// the held print, and every later print from that origin to that printer, goes through the host's
// `relay` (docs/protocol.md), which neither Local Network Access nor a browser's cached rejection
// of the certificate can stop (docs/browser-behaviour.md §6, §9).
//
// Everything it touches is injected, so that it runs under node:test with small fakes:
//   check(printer)            -> {decision, inspect}  the host's inspect + precheck.decide()
//   trust(printer, sha256, origin) -> {effect}        trust_flow.trustPrinter with the POS origin
//   relay(request)            -> host relay result    (rejects with {code})
//   grants {has, add, remove}(origin, printer)        who may relay already (this browser session)
//   prompts {open(questionId, posTab) -> tabId, close(promptTabId, posTabId)}
//   isLocal(printerOrigin)    -> bool                 the configured networks
// The page learns only "asked / answered": a print is answered {outcome: 'direct'} (the browser
// sends it itself, as without the extension), {outcome: 'relay', response} or {outcome: 'failed'}.

import { eposOutcome } from './epos_reply.js';
import { printerOf } from './pos_gate.js';
import { EPOS_SERVICE_PATH } from './signals.js';

export const LIMITS = Object.freeze({ heldPerTab: 3, closeDelayMs: 1500 });

// States the prompt shows (its #status data-state). 'trusted': trusted with no held print to send
// (the reactive path: the person prints again).
export const FINAL_STATES = Object.freeze(['printed', 'print_failed', 'declined', 'failed', 'trusted']);

// Host codes after which a later print may be asked about again (the grant is gone).
const GRANT_GONE = new Set(['relay_not_trusted', 'relay_origin_not_allowed', 'unknown_command', 'host_too_old']);
// A host older than the relay: after Trust the browser sends the print itself, as before the
// relay existed (it works where the page may reach the printer and had not met it yet).
const NO_RELAY = new Set(['unknown_command', 'host_too_old']);

// The relay's timeout for one print: the ePOS job's own `timeout` (ms, in the query; Odoo 19 sends
// it) plus the connection's share, within the host's 1-60 s; 15 s when the page gave none.
export function relayTimeoutMs(query) {
  const asked = Number(new URLSearchParams(query).get('timeout'));
  if (!Number.isFinite(asked) || asked <= 0) return 15000;
  return Math.min(60000, Math.max(1000, Math.round(asked) + 5000));
}

let nextQuestion = 1;

export class PosFlow {
  constructor({ check, trust, relay, grants, prompts, isLocal, limits = LIMITS, later = (fn, ms) => setTimeout(fn, ms) }) {
    Object.assign(this, { check, trust, relay, grants, prompts, isLocal, limits, later });
    this.byOrigin = new Map(); // POS origin -> the one open question
    this.byId = new Map();
    this.held = new Map(); // tab id -> prints held for an answer in that tab
  }

  // One print from a configured POS page's top frame. tab: {id, windowId, index}; origin: the
  // page's exact origin; hold: {id, url, method, body, contentType}.
  async print(tab, origin, hold) {
    const printer = printerOf(hold.url);
    if (!printer || printer.path !== EPOS_SERVICE_PATH || hold.method !== 'POST') return { outcome: 'direct' };
    if (!(await this.isLocal(printer.origin))) return { outcome: 'direct' };
    if (await this.grants.has(origin, printer.origin)) {
      const sent = await this.send(origin, printer, hold);
      if (sent.ok) return sent.answer;
      if (!GRANT_GONE.has(sent.code)) return { outcome: 'failed' };
      await this.grants.remove(origin, printer.origin);
    } else if (printer.protocol === 'https:' || hold.afterDirectFailure) {
      // The host may know this origin already (a trust from an earlier browser session, or an
      // administrator's pin): then it prints at once, no question.
      const sent = await this.send(origin, printer, hold);
      if (sent.ok) {
        await this.grants.add(origin, printer.origin);
        return sent.answer;
      }
      if (!GRANT_GONE.has(sent.code)) return { outcome: 'failed' };
    }
    // http: (Odoo's use_lna) to a printer not trusted for this POS: the browser sends it itself,
    // as the shop chose. When that fails (Local Network Access, no http on the printer), the hook
    // comes back with the same print (afterDirectFailure): it is then held and asked about like an
    // https one, so that one answer prints it (Odoo 18 has no https retry of its own).
    if (printer.protocol !== 'https:' && !hold.afterDirectFailure) return { outcome: 'direct', retry: true };
    return this.hold(tab, origin, printer, hold);
  }

  // The relay of one held print: {ok, answer, printed, code}.
  async send(origin, printer, hold) {
    try {
      const result = await this.relay({
        url: printer.origin,
        path: printer.path,
        query: printer.query,
        method: 'POST',
        body: hold.body ?? '',
        ...(hold.contentType ? { content_type: hold.contentType } : {}),
        origin,
        timeout_ms: relayTimeoutMs(printer.query),
      });
      const epos = eposOutcome(result.status, result.body);
      return {
        ok: true,
        printed: epos.printed,
        code: epos.code,
        answer: {
          outcome: 'relay',
          response: {
            status: result.status,
            statusText: result.status_text ?? '',
            contentType: result.content_type ?? '',
            body: result.body ?? '',
          },
        },
      };
    } catch (e) {
      if (NO_RELAY.has(e?.code)) this.relayMissing = true;
      return { ok: false, code: e?.code ?? 'internal' };
    }
  }

  heldIn(tabId) {
    return this.held.get(tabId) ?? 0;
  }

  countHeld(tabId, delta) {
    const n = this.heldIn(tabId) + delta;
    if (n > 0) this.held.set(tabId, n);
    else this.held.delete(tabId);
  }

  // Holds the print for the person's answer: joins the open question for this printer, or waits
  // for the POS origin's other question to end (one question per POS origin at a time) and starts
  // over (it may have been trusted meanwhile), or opens one. At most limits.heldPerTab prints wait
  // per tab; the rest fail at once (a page cannot pile up questions).
  async hold(tab, origin, printer, hold) {
    if (this.heldIn(tab.id) >= this.limits.heldPerTab) return { outcome: 'failed' };
    const open = this.byOrigin.get(origin);
    this.countHeld(tab.id, 1);
    try {
      if (open && (open.printer !== printer.origin || open.answered)) {
        await open.done;
      } else {
        const question = open ?? this.open(tab, origin, printer);
        const answer = new Promise((resolve) => {
          question.holds.push({ tabId: tab.id, hold, printer, resolve });
        });
        if (!open) void this.prepare(question);
        return await answer;
      }
    } finally {
      this.countHeld(tab.id, -1);
    }
    return this.print(tab, origin, hold);
  }

  open(tab, origin, printer, { reactive = false } = {}) {
    let finish;
    const question = {
      // The prompt tab's URL carries it (prompt/prompt.html#id): unguessable, so that nothing but
      // the tab this flow opened can name the question.
      id: `q${nextQuestion++}-${crypto.randomUUID()}`,
      origin,
      printer: printer.origin,
      posTab: { id: tab.id, windowId: tab.windowId, index: tab.index },
      reactive,
      state: 'checking',
      reason: '',
      holds: [],
      watchers: new Set(),
      promptTabId: null,
      answered: false,
      done: new Promise((resolve) => (finish = resolve)),
      finish: () => finish(),
    };
    this.byOrigin.set(origin, question);
    this.byId.set(question.id, question);
    return question;
  }

  // A print to a printer this POS page could not hold (a worker, a page loaded before the
  // extension, the browser's Local Network Access refusing a direct print): the same question,
  // with nothing held; after Trust the person prints again and the print goes through the relay.
  // cause: 'lna' when the browser's Local Network Access refused it, else 'certificate'.
  async reactive(tab, origin, printerUrl, cause = 'certificate') {
    const printer = printerOf(printerUrl);
    if (!printer || this.byOrigin.has(origin) || !(await this.isLocal(printer.origin))) return null;
    if (await this.grants.has(origin, printer.origin)) return null;
    const question = this.open(tab, origin, printer, { reactive: true });
    question.cause = cause;
    await this.prepare(question);
    return question.id;
  }

  async prepare(question) {
    let checked;
    try {
      checked = await this.check(question.printer);
    } catch {
      checked = { decision: { action: 'pass', reason: 'host_error' } };
    }
    const { inspect } = checked;
    let { decision } = checked;
    // Not an Epson printer, and its certificate not trusted here: the browser's own send would
    // fail on the certificate anyway. The person is told on the tab, and the page gets the same
    // answer as for an Epson printer nobody trusted, so that a POS page cannot sort the LAN's TLS
    // services into Epson printers and others (docs/design.md "What a page can and cannot do").
    if (decision.action === 'pass' && decision.reason === 'not_epos' && !(inspect?.trusted?.stores ?? []).length) {
      decision = { action: 'explain', reason: 'not_epos' };
    }
    question.inspect = inspect;
    question.decision = decision;
    // Installed in this browser already, but not for this POS (a toolbar trust, another POS):
    // the person is asked whether this POS may print to it; Trust records the origin.
    const askAnyway =
      !this.relayMissing && decision.action === 'pass' && decision.reason === 'trusted' && inspect?.epos?.is_epos;
    if (decision.action === 'trust') {
      question.answered = true;
      await this.trustAndSend(question, 'pinned');
      return;
    }
    const explain = decision.action === 'explain' && !String(decision.reason).startsWith('host_');
    if (decision.action === 'prompt' || explain || askAnyway) {
      // An unusable certificate is never "asking": the page shows no Trust button at any moment.
      question.state = explain ? 'failed' : 'asking';
      question.answered = explain;
      try {
        question.promptTabId = await this.prompts.open(question.id, question.posTab);
      } catch {
        this.end(question, 'failed', 'prompt_failed', { outcome: 'failed' });
        return;
      }
      if (explain) {
        // The certificate cannot work in this browser: nothing to ask; the print fails now (no
        // connection was made) and the tab says why and what to change on the printer.
        this.end(question, 'failed', decision.reason ?? 'unusable', { outcome: 'failed' });
      }
      return;
    }
    // Not a printer, unreachable, no host: as without the extension.
    question.answered = true;
    this.end(question, null, decision.reason, { outcome: 'direct' });
  }

  // The prompt tab's answer ('trust' or 'decline'), or its closing (= decline).
  async answer(questionId, answer) {
    const question = this.byId.get(questionId);
    if (!question || question.answered) return;
    if (answer === 'trust' && question.state === 'asking') {
      question.answered = true;
      await this.trustAndSend(question, 'person');
      return;
    }
    question.answered = true;
    this.end(question, 'declined', '', { outcome: 'failed' });
  }

  async trustAndSend(question, by) {
    this.setState(question, 'trusting');
    try {
      await this.trust(question.printer, question.inspect.certificate.sha256, question.origin, { by });
    } catch (e) {
      this.end(question, 'failed', e?.code ?? 'internal', { outcome: 'failed' });
      return;
    }
    if (this.relayMissing) {
      for (const entry of question.holds.splice(0)) entry.resolve({ outcome: 'direct' });
      this.end(question, 'trusted', 'direct', null);
      return;
    }
    await this.grants.add(question.origin, question.printer);
    if (question.holds.length === 0) {
      this.end(question, 'trusted', '', null);
      return;
    }
    this.setState(question, 'printing');
    let failure = '';
    // In the order the POS printed them; a later print joins while these are sent.
    while (question.holds.length > 0) {
      const entry = question.holds.shift();
      const sent = await this.send(question.origin, entry.printer, entry.hold);
      if (!sent.ok && NO_RELAY.has(sent.code)) {
        entry.resolve({ outcome: 'direct' });
        failure ||= 'direct';
      } else if (!sent.ok) {
        failure ||= sent.code;
        entry.resolve({ outcome: 'failed' });
      } else {
        if (!sent.printed) failure ||= `epos:${sent.code}`;
        entry.resolve(sent.answer);
      }
    }
    if (failure === 'direct') this.end(question, 'trusted', 'direct', null);
    else this.end(question, failure ? 'print_failed' : 'printed', failure, null);
  }

  // The question's outcome: every print still held gets `answer`, the prompt shows `state`, and
  // (printed, declined, trusted) closes itself after limits.closeDelayMs with the POS tab active
  // again. A failure stays on screen until the person closes it: it says what to do.
  end(question, state, reason, answer) {
    question.answered = true;
    question.reason = reason ?? '';
    for (const entry of question.holds.splice(0)) entry.resolve(answer ?? { outcome: 'failed' });
    if (this.byOrigin.get(question.origin) === question) this.byOrigin.delete(question.origin);
    question.finish();
    if (state) this.setState(question, state);
    if (question.promptTabId !== null && ['printed', 'declined', 'trusted'].includes(state)) {
      this.later(() => this.closePrompt(question), this.limits.closeDelayMs);
    }
    if (question.promptTabId === null) this.byId.delete(question.id);
  }

  closePrompt(question) {
    const tabId = question.promptTabId;
    question.promptTabId = null;
    this.byId.delete(question.id);
    if (tabId !== null) return this.prompts.close(tabId, question.posTab.id);
    return undefined;
  }

  // The prompt tab went away (closed by the person, navigated elsewhere): a decline if unanswered.
  promptGone(questionId) {
    const question = this.byId.get(questionId);
    if (!question) return;
    const wasOpen = question.promptTabId;
    question.promptTabId = null;
    if (!question.answered) {
      void this.answer(questionId, 'decline');
    } else if (wasOpen !== null && FINAL_STATES.includes(question.state)) {
      this.byId.delete(questionId);
    }
  }

  // The prompt page's "Close" after a failure: back to the POS.
  dismiss(questionId) {
    const question = this.byId.get(questionId);
    if (!question) return undefined;
    if (!question.answered) return this.answer(questionId, 'decline');
    if (FINAL_STATES.includes(question.state)) return this.closePrompt(question);
    return undefined;
  }

  // The page gave up on a held print (an explicit abort): it is dropped, never sent later.
  cancel(tabId, holdId) {
    for (const question of this.byOrigin.values()) {
      const at = question.holds.findIndex((e) => e.tabId === tabId && e.hold.id === holdId);
      if (at >= 0) question.holds.splice(at, 1)[0].resolve({ outcome: 'failed' });
    }
  }

  // The POS tab closed: its held prints go nowhere.
  tabGone(tabId) {
    for (const question of this.byOrigin.values()) {
      for (const entry of question.holds.filter((e) => e.tabId === tabId)) {
        question.holds.splice(question.holds.indexOf(entry), 1);
        entry.resolve({ outcome: 'failed' });
      }
    }
    for (const question of this.byId.values()) {
      if (question.promptTabId === tabId) this.promptGone(question.id);
    }
  }

  // What the prompt page shows for a question: the printer, its certificate, the requesting
  // origin, the state. Only extension pages ever see this (never the POS page).
  model(questionId) {
    const q = this.byId.get(questionId);
    if (!q) return null;
    const cert = q.inspect?.certificate ?? {};
    return {
      id: q.id,
      state: q.state,
      reason: q.reason,
      action: q.decision?.action ?? 'prompt',
      decisionReason: q.decision?.reason ?? '',
      origin: q.origin,
      printer: q.printer,
      reactive: q.reactive,
      cause: q.cause ?? '',
      held: q.holds.length,
      address: q.inspect ? `${q.inspect.target.host}:${q.inspect.target.port}` : q.printer,
      epson: Boolean(q.inspect?.epos?.is_epos),
      sha256: cert.sha256 ?? '',
      names: Array.isArray(cert.names) ? cert.names : null,
      san: cert.san ?? null,
      cn: cert.common_name ?? '',
      notBefore: cert.not_before ?? '',
      notAfter: cert.not_after ?? '',
      verdict: q.inspect?.verdict ?? {},
      findings: q.inspect?.findings ?? [],
    };
  }

  watch(questionId, onChange) {
    const q = this.byId.get(questionId);
    if (!q) return () => {};
    q.watchers.add(onChange);
    return () => q.watchers.delete(onChange);
  }

  setState(question, state) {
    question.state = state;
    const model = this.model(question.id) ?? { id: question.id, state, reason: question.reason };
    for (const w of question.watchers) {
      try {
        w(model);
      } catch {
        // a prompt page that went away
      }
    }
  }
}
