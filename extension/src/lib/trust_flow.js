// "Trust this printer", written once for the popup, the check page and the Odoo POS prompt: ask the
// host to install the certificate the person confirmed, then make the running browser see it.

import { IS_FIREFOX } from './browser.js';
import { flushFirefoxTrustCache } from './firefox_flush.js';
import { trustEffect } from './precheck.js';

// Returns {result, effect, flushed}: effect is 'now', 'after_restart' or 'failed'.
// beforeFirstContact: the browser has not connected to this printer yet (the pre-connection check,
// a held POS request), so it has nothing cached: a new entry counts at once (docs/browser-behaviour.md §6).
// rejectedBefore: this browser is known to have rejected the certificate already (a failed POS
// request): Chromium keeps that rejection for 30 minutes whatever is trusted (docs/browser-behaviour.md §6).
// origin: the POS page origin the person was asked on (the host's relay is then allowed from it).
export async function trustPrinter(
  client,
  url,
  sha256,
  { beforeFirstContact = false, rejectedBefore = false, origin = undefined } = {},
) {
  const result = await client.trust(url, sha256, origin);
  let effect = trustEffect(result);
  let flushed = false;
  // Firefox: flush whenever the host offers the module, also when the host says "now": the tab
  // may have shown the warning already, and the flush costs a few milliseconds.
  if (IS_FIREFOX && result.firefox_flush_module) {
    flushed = await flushFirefoxTrustCache(result.firefox_flush_module);
  }
  if (effect === 'after_flush') effect = flushed || beforeFirstContact ? 'now' : 'after_restart';
  if (result.restart_needed && effect === 'now' && !flushed) effect = 'after_restart';
  if (rejectedBefore && !IS_FIREFOX && effect === 'now') effect = 'after_restart';
  return { result, effect, flushed };
}
