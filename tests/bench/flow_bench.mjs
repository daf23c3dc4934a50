#!/usr/bin/env node
// Whole-flow benchmarks in real browsers (not a test): the end-to-end
// scenarios of tests/e2e/lib/scenarios.mjs, each run RUNS times in a fresh HOME, profile and
// browser, in headless Chromium and Firefox ESR, with the real host and the bundled emulator.
// Run inside tests/e2e/run-isolated.sh (loopback-only network; the pinned flow writes policy
// files into its private /etc overlay), with EPOS_BUILD_DIR naming the build:
//
//   tests/e2e/run-isolated.sh node tests/bench/flow_bench.mjs [--runs N] [--out FILE.md]
//                                                              [--browsers chrome,firefox]
//                                                              [--flows toolbar,check,...,publicPos,rejected]
//
// Writes a markdown fragment (FILE.md, default tests/bench/flow_results.md) that run.sh splices
// into docs/benchmarks.md. A run whose scenario fails is counted as failed and named, not timed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { requireBuilt, paths } from '../e2e/lib/paths.mjs';
import { publicPosPrint } from '../e2e/lib/public_pos.mjs';
import * as scenario from '../e2e/lib/scenarios.mjs';
import { stats, ms, verdict } from './stats.mjs';
import { isolated } from '../lib/isolation.mjs';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    out: { type: 'string', default: join(dirname(fileURLToPath(import.meta.url)), 'flow_results.md') },
    browsers: { type: 'string', default: 'chrome,firefox' },
    flows: { type: 'string', default: '' },
  },
});
const RUNS = Number(opts.runs);
const KINDS = opts.browsers.split(',');
if (!isolated({ net: true, overlay: '/etc' })) {
  console.error('flow_bench.mjs: run it through tests/e2e/run-isolated.sh (loopback-only network)');
  process.exit(2);
}
requireBuilt();

const CONFIRM_GOAL = 1000; // goal: 1 s or less after the person confirms
const PINNED_GOAL = 300; // goal: 300 ms or less from navigation start, pinned fingerprint
const PUBLIC_GOAL = 300; // goal: public POS origin, confirm -> receipt at the printer
const REJECTED_GOAL = 500; // goal: Chromium after an earlier rejection, no restart
const RELAY_RATIO_GOAL = 1.5; // goal: a later print through the relay vs a direct print...
const RELAY_DIFF_GOAL = 15; // ...or within 15 ms of it
const LATER_PRINTS = 5; // relay and direct prints per run, interleaved

// One run of every flow in one browser; each scenario starts its own fresh browser(s).
// publicPos: the POS on a public origin, the printer local, the page's local-network permission
// denied (docs/browser-behaviour.md §9): one Trust click on the prompt tab, then LATER_PRINTS
// prints through the relay, each next to a direct browser fetch to the printer from the
// extension's page. rejected (Chromium only): the browser has refused the printer's certificate
// before the POS prints (§6), and the relay still prints at once.
const ALL_FLOWS = [
  ['toolbar', (kind) => scenario.toolbarFlow(kind)],
  ['check', (kind) => scenario.promptThenUntrust(kind)],
  ['posFetch', (kind) => scenario.posPrint(kind, 'fetch')],
  ['posXhr', (kind) => scenario.posPrint(kind, 'xhr')],
  ['pinned', (kind) => scenario.pinnedPrinters(kind, 5)],
  ['publicPos', (kind) => publicPosPrint(kind, 'odoo17', { laterPrints: LATER_PRINTS, directPrints: true })],
  ['rejected', (kind) => (kind === 'chrome' ? publicPosPrint(kind, 'odoo17', { rejectFirst: true, laterPrints: 0 }) : null)],
];
const WANTED = opts.flows ? opts.flows.split(',') : ALL_FLOWS.map(([name]) => name);
const FLOWS = ALL_FLOWS.filter(([name]) => WANTED.includes(name));

const samples = {}; // `${kind}.${figure}` -> [ms]
const failures = {}; // `${kind}.${flow}` -> [message]
const add = (key, value) => (samples[key] ??= []).push(value);

function keep(kind, flow, result) {
  if (result === null) return; // not a flow of this browser
  if (flow === 'publicPos') {
    add(`${kind}.publicPos.confirmToReceipt`, result.confirmToReceipt);
    add(`${kind}.publicPos.confirmToPrinted`, result.confirmToPrinted);
    for (const v of result.later) add(`${kind}.publicPos.relay`, v);
    for (const v of result.direct) add(`${kind}.publicPos.direct`, v);
    // The same run's own comparison: median relay / median direct, and their difference.
    const relay = stats(result.later).median;
    const direct = stats(result.direct).median;
    add(`${kind}.publicPos.ratio`, relay / direct);
    add(`${kind}.publicPos.diff`, relay - direct);
    return;
  }
  if (flow === 'rejected') {
    add(`${kind}.rejected.confirmToReceipt`, result.confirmToReceipt);
    return;
  }
  if (flow === 'toolbar' || flow === 'posFetch' || flow === 'posXhr') {
    for (const [figure, value] of Object.entries(result)) add(`${kind}.${flow}.${figure}`, value);
  } else if (flow === 'check') {
    add(`${kind}.check`, result);
  } else {
    for (const value of result) add(`${kind}.pinned`, value);
  }
}

const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
const started = Date.now();
for (let i = 0; i < RUNS; i += 1) {
  // Interleaved (every flow once per round) so that a change in the machine's load spreads over
  // all figures instead of landing on one.
  for (const kind of KINDS) {
    for (const [flow, body] of FLOWS) {
      try {
        keep(kind, flow, await body(kind));
      } catch (e) {
        (failures[`${kind}.${flow}`] ??= []).push(e.message.split('\n')[0].slice(0, 200));
        console.error(`${kind} ${flow} run ${i + 1} failed: ${e.message}`);
      }
    }
  }
  console.error(`round ${i + 1}/${RUNS} done, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
const loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');

function version(binary) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } }).trim();
  } catch (e) {
    return `${binary} (version unknown: ${e.message.split('\n')[0]})`;
  }
}
const NAMES = { chrome: 'Chromium', firefox: 'Firefox ESR' };

function row(kind, flow, label, key, goal, goalText) {
  if (!WANTED.includes(flow)) return null; // not run this time (--flows)
  const xs = samples[`${kind}.${key}`] ?? [];
  const failed = failures[`${kind}.${flow}`]?.length ?? 0;
  const s = stats(xs);
  const failedText = failed ? ` (${failed} failed)` : '';
  if (!s) return `| ${label} | ${NAMES[kind]} | no successful run | | ${failed} failed | ${goalText ?? (goal ? `<= ${goal} ms` : '')} |`;
  const judged = goal ? verdict(s.median, goal) : (goalText ?? '');
  return `| ${label} | ${NAMES[kind]} | **${ms(s.median)}** | ${ms(s.min)} / ${ms(s.max)} | ${s.n}${failedText} | ${judged} |`;
}

// Relay vs direct: the median over runs of each run's own ratio and difference.
function ratioRow(kind) {
  const r = stats(samples[`${kind}.publicPos.ratio`] ?? []);
  const d = stats(samples[`${kind}.publicPos.diff`] ?? []);
  if (!r) return `| relay / direct, same run | ${NAMES[kind]} | no successful run | | | <= ${RELAY_RATIO_GOAL}x or within ${RELAY_DIFF_GOAL} ms |`;
  const met = r.median <= RELAY_RATIO_GOAL || d.median <= RELAY_DIFF_GOAL;
  return (
    `| relay / direct, same run (median of the runs' ratios; difference) | ${NAMES[kind]} | **${r.median.toFixed(2)}x** (+${ms(d.median)}) | ` +
    `${r.min.toFixed(2)}x / ${r.max.toFixed(2)}x | ${r.n} | <= ${RELAY_RATIO_GOAL}x or within ${RELAY_DIFF_GOAL} ms: ${met ? 'met' : 'NOT met'} |`
  );
}

const lines = [];
lines.push(`<!-- generated by tests/bench/flow_bench.mjs, ${RUNS} runs per flow; do not edit -->`);
lines.push(
  `Each flow ran ${RUNS === 1 ? 'once' : `${RUNS} times`} per browser, every run in a fresh HOME, profile and headless browser ` +
    '(the e2e scenarios of `tests/e2e/lib/scenarios.mjs`, through the real host and the bundled emulator on ' +
    '127.0.0.x, in the loopback-only namespace of `tests/e2e/run-isolated.sh`); rounds interleave the flows. ' +
    'Times are wall clock from just before puppeteer clicks (or starts the navigation) to the printer page\'s ' +
    '`loadEventEnd`; for the POS flows to when the page\'s answer is seen (polled every 25 ms) and, for ' +
    '"receipt", to the emulator\'s own arrival stamp. Pinned: 5 never-seen printers per run.' +
    (WANTED.includes('publicPos') || WANTED.includes('rejected')
      ? ' Public POS flows (`tests/e2e/lib/public_pos.mjs`): the POS on 127.0.0.1 counts as public and the printer ' +
        'as local (the browsers\' address-space overrides, docs/browser-behaviour.md §9), the page\'s own ' +
        'local-network permission denied; t0 is just before the click on the prompt tab\'s Trust button; relay and ' +
        'direct prints are timed with `performance.now()` in the POS page (Odoo\'s print code) and in the extension\'s ' +
        'page (a plain `fetch`), alternately.'
      : ''),
);
lines.push('');
lines.push(`- ${KINDS.map((k) => version(k === 'chrome' ? paths.chromium : paths.firefox)).join('; ')}.`);
lines.push(
  `- ${cpus().length} cores, load average ${loadBefore} before and ${loadAfter} after; ` +
    `${((Date.now() - started) / 60000).toFixed(1)} min in all.`,
);
lines.push('');
lines.push('| flow | browser | median | min / max | runs | goal |');
lines.push('|---|---|---|---|---|---|');
for (const kind of KINDS) {
  if (kind === 'firefox') {
    lines.push(
      row(kind, 'toolbar', 'toolbar, on the warning page: confirm -> secure page (trust, PKCS#11 flush, reload; no restart)',
        'toolbar.confirmToSecure', CONFIRM_GOAL),
    );
  } else {
    lines.push(
      row(kind, 'toolbar', 'toolbar, on the warning page: confirm -> the popup\'s answer (installed; restart advice)',
        'toolbar.confirmToAdvice', null, 'secure only after a restart (docs/browser-behaviour.md §6): goal not reachable'),
    );
    lines.push(
      row(kind, 'toolbar', 'toolbar, after that restart: navigation start -> secure page', 'toolbar.restartToSecure',
        null, ''),
    );
  }
  lines.push(
    row(kind, 'check', 'check page (prompt before first contact): confirm -> secure page, no restart', 'check',
      CONFIRM_GOAL),
  );
  lines.push(row(kind, 'posFetch', 'Odoo POS, `fetch`: confirm in the page -> print answered', 'posFetch.confirmToPrinted', CONFIRM_GOAL));
  lines.push(row(kind, 'posFetch', 'Odoo POS, `fetch`: confirm -> receipt at the printer', 'posFetch.confirmToReceipt', CONFIRM_GOAL));
  lines.push(row(kind, 'posXhr', 'Odoo POS, `XMLHttpRequest` (Epson SDK): confirm -> print answered', 'posXhr.confirmToPrinted', CONFIRM_GOAL));
  lines.push(row(kind, 'posXhr', 'Odoo POS, `XMLHttpRequest`: confirm -> receipt at the printer', 'posXhr.confirmToReceipt', CONFIRM_GOAL));
  lines.push(
    row(kind, 'pinned', 'pinned fingerprint, never-seen printer: navigation start -> secure page (no prompt)', 'pinned',
      PINNED_GOAL),
  );
  if (WANTED.includes('publicPos')) {
    lines.push(
      row(kind, 'publicPos', 'public POS origin, printer local, page\'s LNA permission denied (Odoo 17 `fetch`): Trust on the prompt tab -> receipt at the printer',
        'publicPos.confirmToReceipt', PUBLIC_GOAL),
    );
    lines.push(row(kind, 'publicPos', 'the same: Trust -> the page has the printer\'s answer', 'publicPos.confirmToPrinted', null, ''));
    lines.push(row(kind, 'publicPos', `a later print through the relay (Odoo's print() timed in the page; ${LATER_PRINTS} per run)`, 'publicPos.relay', null, ''));
    lines.push(row(kind, 'publicPos', 'a direct browser print in the same run (fetch from the extension\'s page, not gated)', 'publicPos.direct', null, ''));
    lines.push(ratioRow(kind));
  }
  if (WANTED.includes('rejected') && kind === 'chrome') {
    lines.push(
      row(kind, 'rejected', 'after Chromium refused the printer\'s certificate (public POS): Trust -> receipt at the printer, no restart',
        'rejected.confirmToReceipt', REJECTED_GOAL),
    );
  }
}
const failed = Object.entries(failures);
if (failed.length) {
  lines.push('');
  lines.push('Failed runs (not timed):');
  for (const [key, messages] of failed) lines.push(`- ${key}: ${messages.length} x, first: ${messages[0]}`);
}
const text = lines.filter((l) => l !== null).join('\n');
writeFileSync(opts.out, `${text}\n`);
console.log(text);
console.error(`wrote ${opts.out}`);
