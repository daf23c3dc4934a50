// The decision about one printer for the POS flow (lib/pos_background.js): the host's hello and
// inspect, then lib/precheck.js's decide with the pinned fingerprints and the machine policy. A
// host error is part of the answer, never thrown.

import { decide, pinnedSet } from './precheck.js';
import { serializeError } from './message_router.js';

// host: {hello, inspect}; settings: () => Promise<effective settings>; browser: 'chrome' |
// 'firefox'. Returns inspectDecision(url) => {decision, inspect} or {decision, error}.
export function printerDecision({ host, settings, browser }) {
  return async (url) => {
    const effective = await settings();
    let hello;
    let inspect;
    try {
      hello = await host.hello();
      inspect = await host.inspect(url);
    } catch (e) {
      return { decision: decide({ error: serializeError(e) }), error: serializeError(e) };
    }
    const decision = decide({ inspect, pinned: pinnedSet(effective, hello), browser, policy: hello.policy });
    return { decision, inspect };
  };
}
