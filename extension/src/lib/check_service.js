// What the background answers the check page and the popup: inspect a printer, decide, trust,
// remember the answer for the session. Written with its collaborators passed in (the host
// client, the settings, the session allow list, the trust flow) so that it is tested without a
// browser; background.js only wires it to the messages.
//
// The rules it keeps (docs/design.md, the trust boundary):
// - only an https IP literal in the extension's chosen networks is looked at: any other URL is
//   refused here with `not_in_networks` (the host applies its own machine policy on top);
// - a session allow rule is added only after an inspect that succeeded: a host error (bad_url,
//   unreachable, ...) is no answer about the printer, so the next navigation is checked again;
// - the host's machine policy (hello.policy) is part of the decision (no Trust where installs are
//   forbidden).

import { parseTarget } from './address.js';
import { HostError } from './host_client.js';
import { decide, pinnedSet } from './precheck.js';

export function serializeError(e) {
  if (e instanceof HostError || (e && typeof e.code === 'string')) {
    return { code: e.code, message: e.message ?? '', details: e.details };
  }
  return { code: 'internal', message: String(e?.message ?? e) };
}

// The printer target of `url` when it is one the extension serves, else a HostError.
export function servedTarget(url, settings) {
  const target = parseTarget(url);
  if (!target) throw new HostError('bad_url', 'Not an https printer address.');
  if (!settings.networks.includes(target.addressClass)) {
    throw new HostError('not_in_networks', `${target.hostname} is not in the chosen networks.`, {
      host: target.hostname,
      address_class: target.addressClass,
    });
  }
  return target;
}

// host: HostClient-like {hello, inspect}; settings: () => Promise<effective settings>;
// allowOrigin(origin); trustPrinter(host, url, sha256, options) (lib/trust_flow.js); browser:
// 'chrome' | 'firefox'.
export class CheckService {
  constructor({ host, settings, allowOrigin, trustPrinter, browser }) {
    this.host = host;
    this.settings = settings;
    this.allowOrigin = allowOrigin;
    this.trustPrinter = trustPrinter;
    this.browser = browser;
  }

  // {target, decision, inspect?, error?, policy?}; never throws for a host error (the page shows
  // it), only for a URL the extension does not serve.
  async check(url) {
    const settings = await this.settings();
    const target = servedTarget(url, settings);
    let hello;
    let inspect;
    try {
      hello = await this.host.hello();
      inspect = await this.host.inspect(target.origin);
    } catch (e) {
      const error = serializeError(e);
      return { target, decision: decide({ error }), error, policy: hello?.policy };
    }
    const decision = decide({
      inspect,
      pinned: pinnedSet(settings, hello),
      browser: this.browser,
      policy: hello?.policy,
    });
    return { target, decision, inspect, policy: hello?.policy };
  }

  // The popup's inspect: the host's answer for a served URL only.
  async inspect(url) {
    const target = servedTarget(url, await this.settings());
    return this.host.inspect(target.origin);
  }

  // The pre-connection check for one navigation. Pass and pinned answers are acted on here and
  // remembered for the session, but only when the printer was actually inspected.
  async precheck(url) {
    const outcome = await this.check(url);
    if (outcome.decision.action === 'trust') {
      try {
        outcome.trust = await this.trustPrinter(this.host, outcome.target.origin, outcome.inspect.certificate.sha256, {
          beforeFirstContact: true,
        });
      } catch (e) {
        outcome.error = serializeError(e);
        outcome.decision = { action: 'explain', reason: 'trust_failed' };
        return outcome;
      }
    }
    const answered = !outcome.error && outcome.inspect;
    if (answered && (outcome.decision.action === 'pass' || outcome.decision.action === 'trust')) {
      await this.allowOrigin(outcome.target.origin);
      outcome.remembered = true;
    }
    return outcome;
  }

  async trust(url, sha256, beforeFirstContact) {
    const target = servedTarget(url, await this.settings());
    const outcome = await this.trustPrinter(this.host, target.origin, sha256, {
      beforeFirstContact: Boolean(beforeFirstContact),
    });
    await this.allowOrigin(target.origin);
    return outcome;
  }

  async exportCert(url, sha256) {
    const target = servedTarget(url, await this.settings());
    return this.host.exportCert(target.origin, sha256);
  }

  // "Continue without trusting": the person's choice, remembered for the session; only for a
  // served printer address (never an allow rule for an arbitrary string).
  async allow(url) {
    const target = servedTarget(url, await this.settings());
    await this.allowOrigin(target.origin);
    return target.origin;
  }
}
