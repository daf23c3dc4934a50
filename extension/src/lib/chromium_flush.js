// Chromium's root-side flush: Chromium keeps a certificate it has rejected
// rejected for 30 minutes, whatever is trusted afterwards (CachingCertVerifier, docs/browser-behaviour.md §6), but
// any change of a managed certificate policy clears that cache 5-7 s later. Only root can make
// one; where the system package provides its helper, the host's `flush-chromium` asks it
// (docs/protocol.md). This module decides when to offer it and waits until it has taken effect.

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Offer "Apply without restarting" only where it can work: Chromium (Firefox has its own flush,
// firefox_flush.js), a trust the browser will not use before a restart, and a host whose `hello`
// reported a flush helper (chromium_flush). Anywhere else the restart words stay, never a button
// that can only fail.
export function offerChromiumFlush({ isFirefox, effect, available }) {
  return !isFirefox && effect === 'after_restart' && available === true;
}

// The host's answer to flush-chromium, in what the person is told: about how many seconds.
export function flushSeconds(effectiveInMs) {
  return Math.max(1, Math.ceil(Number(effectiveInMs) / 1000) || 1);
}

// After flush-chromium answered {effective_in_ms}: looks (isSecure) from a little before that
// moment (the policy watcher settles 5.0 s; the host's figure is the measured 6.7 s, rounded up),
// then every `everyMs`, until `graceMs` past it. Resolves true at the first secure look, false
// when the browser still refuses at the end (then a restart is the way left).
export async function waitUntilSecure(
  effectiveInMs,
  isSecure,
  { sleep = delay, now = Date.now, earlyMs = 2000, everyMs = 500, graceMs = 6000 } = {},
) {
  const start = now();
  const firstLook = start + Math.max(0, effectiveInMs - earlyMs);
  const deadline = start + effectiveInMs + graceMs;
  await sleep(Math.max(0, firstLook - now()));
  for (;;) {
    if (await isSecure()) return true;
    if (now() + everyMs > deadline) return false;
    await sleep(everyMs);
  }
}

// Whether this browser now accepts the printer's certificate, without showing the person a
// warning page: a request from the extension goes through the same certificate verifier (and its
// cache) as the tabs of the profile. Any HTTP answer means the TLS handshake verified; a network
// error means it is still refused (or the printer is gone: the reload then says so).
export async function probeSecure(origin, { fetchImpl = globalThis.fetch, timeoutMs = 3000 } = {}) {
  try {
    await fetchImpl(`${origin}/`, {
      method: 'HEAD',
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return true;
  } catch {
    return false;
  }
}

// One flush per key (a tab, or a POS page's printer) at a time, run by the background so that it
// completes even when the popup that asked closes: start() asks the host and returns its answer
// at once (for the "about N seconds" the person reads); outcome() resolves when it has taken
// effect: whatever `confirm` returns once the printer is secure (the popup's reload: 'secure',
// 'rejected' ...), 'refused' when the browser still refuses it, 'failed' when confirming threw.
export class ChromiumFlushes {
  constructor({ flush, isSecure, wait = waitUntilSecure }) {
    this.flush = flush;
    this.isSecure = isSecure;
    this.wait = wait;
    this.running = new Map();
  }

  async start(key, origin, confirm = async () => 'secure') {
    const answer = await this.flush();
    const effectiveInMs = answer.effective_in_ms;
    const done = this.wait(effectiveInMs, () => this.isSecure(origin))
      .then((secure) => (secure ? confirm() : 'refused'))
      .catch(() => 'failed');
    // The latest flush per key (a tab id, a POS tab's printer): a small map, replaced on a new one.
    this.running.set(key, done);
    return { state: answer.state, effectiveInMs, seconds: flushSeconds(effectiveInMs) };
  }

  // Resolves with the outcome of the flush started for `key`, or 'none' when there is none.
  outcome(key) {
    return this.running.get(key) ?? Promise.resolve('none');
  }
}
