#!/usr/bin/env node
// The extension's idle footprint (not a test). Each launch starts a headless
// browser in a fresh HOME and profile with one ordinary page open (a plain http page on
// 127.0.0.1), once with the built extension and once without, and leaves it alone:
// - 5 s and IDLE s after that page loaded: PSS summed over all the browser's processes
//   (/proc/<pid>/smaps_rollup), and the extension's own process where the browser has one
//   (Chromium: the renderer with --extension-process; Firefox: the "WebExtensions" process);
// - the CPU time (utime + stime) the extension's process used between those two moments;
// - whether the background is still running at the end: Chromium stops an idle MV3 service
//   worker after 30 s (its DevTools target goes away: we note when); Firefox suspends an idle
//   event page after extensions.background.idle.timeout (30 s; extension.getBackgroundPage() is
//   null then, read from an extension page that does not talk to the background).
// Run inside tests/e2e/run-isolated.sh, with EPOS_BUILD_DIR naming the build:
//
//   tests/e2e/run-isolated.sh node tests/bench/idle_footprint.mjs [--launches N] [--idle S]
//                                                                  [--out FILE.md] [--browsers chrome,firefox]
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROME_ID } from '../../extension/manifest.mjs';
import { gotoExtensionPage, launch } from '../e2e/lib/browsers.mjs';
import { requireBuilt } from '../e2e/lib/paths.mjs';
import { makeSandbox } from '../e2e/lib/sandbox.mjs';
import { commandLine, cpuMsOf, memoryOf, processTree, treePss } from './proc_stats.mjs';
import { mib, stats } from './stats.mjs';
import { isolated } from '../lib/isolation.mjs';

const { values: opts } = parseArgs({
  options: {
    launches: { type: 'string', default: '3' },
    idle: { type: 'string', default: '60' },
    out: { type: 'string', default: join(dirname(fileURLToPath(import.meta.url)), 'idle_results.md') },
    browsers: { type: 'string', default: 'chrome,firefox' },
  },
});
const LAUNCHES = Number(opts.launches);
const IDLE_MS = Number(opts.idle) * 1000;
const KINDS = opts.browsers.split(',');
if (!isolated({ net: true, overlay: '/etc' })) {
  console.error('idle_footprint.mjs: run it through tests/e2e/run-isolated.sh (loopback-only network)');
  process.exit(2);
}
requireBuilt();

const sleepUntil = (t) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));

// The one ordinary page left open.
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>An ordinary page</title><p>Nothing here talks to a printer.</p>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const PAGE = `http://127.0.0.1:${server.address().port}/`;

function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

// The extension's own processes: Chromium marks its extension renderers with --extension-process;
// Firefox names its extension content process "WebExtensions" (it also hosts built-in add-ons).
function extensionProcesses(kind, rootPid) {
  return processTree(rootPid).filter((pid) =>
    kind === 'chrome' ? / --extension-process( |$)/.test(commandLine(pid)) : comm(pid) === 'WebExtensions',
  );
}

const sum = (values) => (values.length ? values.reduce((a, b) => a + b, 0) : null);
function memoryOfAll(pids) {
  const alive = pids.map(memoryOf).filter(Boolean);
  return alive.length ? { pss: sum(alive.map((m) => m.pss)), rss: sum(alive.map((m) => m.rss)) } : null;
}

function chromiumWorkerRunning(run) {
  return run.browser
    .targets()
    .some((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${CHROME_ID}/`));
}

// Firefox's event page, watched from an extension page opened before the idle time starts (any
// navigation later would fire the background's webNavigation/tabs listeners and wake it; the
// check page without a target asks the background nothing, check.js). getBackgroundPage() is
// null while the event page is suspended. A launch of its own: that page costs memory.
async function firefoxBackgroundStates() {
  const sandbox = makeSandbox('firefox', { name: 'idle-background' });
  const run = await launch('firefox', sandbox);
  try {
    const [page] = await run.browser.pages();
    await page.goto(PAGE);
    const watcher = await run.browser.newPage();
    await gotoExtensionPage(run, watcher, 'check/check.html');
    const running = () => watcher.evaluate(() => globalThis.browser.extension.getBackgroundPage() !== null);
    const t0 = Date.now();
    const states = [];
    for (const s of [5, 35, IDLE_MS / 1000 + 5]) {
      await sleepUntil(t0 + s * 1000);
      states.push([s, await running()]);
    }
    console.error(`firefox background: ${JSON.stringify(states)}`);
    return states;
  } finally {
    await run.browser.close().catch(() => {});
    sandbox.remove();
  }
}

async function oneLaunch(kind, withExtension) {
  const sandbox = makeSandbox(kind, { name: withExtension ? 'idle-with' : 'idle-without' });
  const run = await launch(kind, sandbox, { extension: withExtension });
  try {
    const rootPid = run.browser.process().pid;
    let workerStoppedAt = null;
    run.browser.on('targetdestroyed', (t) => {
      if (t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${CHROME_ID}/`)) {
        workerStoppedAt = Date.now();
      }
    });
    const [page] = await run.browser.pages();
    await page.goto(PAGE);
    const t0 = Date.now();
    await sleepUntil(t0 + 5000);
    // Followed every second until the end: Chromium ends an extension process once its service
    // worker stopped (measured: it is gone at 40 s), and /proc forgets a process's CPU time then.
    const ext0 = extensionProcesses(kind, rootPid);
    const early = { total: treePss(rootPid), ext: memoryOfAll(ext0) };
    const cpu0 = new Map(ext0.map((pid) => [pid, cpuMsOf(pid)]));
    const cpuLast = new Map(cpu0);
    let extGoneAt = null;
    while (Date.now() < t0 + 5000 + IDLE_MS) {
      await sleepUntil(Math.min(Date.now() + 1000, t0 + 5000 + IDLE_MS));
      for (const pid of ext0) {
        const cpu = cpuMsOf(pid);
        if (cpu !== null) cpuLast.set(pid, cpu);
      }
      if (ext0.length && extGoneAt === null && ext0.every((pid) => memoryOf(pid) === null)) extGoneAt = Date.now();
    }
    const late = { total: treePss(rootPid), ext: memoryOfAll(ext0) };
    const result = {
      early,
      late,
      extPids: ext0,
      // Processes of that kind started later (none expected while idle).
      newExtPids: extensionProcesses(kind, rootPid).filter((pid) => !ext0.includes(pid)),
      extGoneAfterS: extGoneAt ? (extGoneAt - t0) / 1000 : null,
      idleCpuMs: ext0.length ? sum(ext0.map((pid) => cpuLast.get(pid) - cpu0.get(pid))) : null,
      backgroundRunning: withExtension && kind === 'chrome' ? chromiumWorkerRunning(run) : null,
      workerStoppedAfterS: workerStoppedAt ? (workerStoppedAt - t0) / 1000 : null,
    };
    console.error(`${kind} ${withExtension ? 'with' : 'without'}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await run.browser.close().catch(() => {});
    sandbox.remove();
  }
}

const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
const started = Date.now();
const results = {};
for (const kind of KINDS) {
  results[kind] = { with: [], without: [] };
  for (let i = 0; i < LAUNCHES; i += 1) {
    // Alternating, so that the machine's load changes hit both sides alike.
    results[kind].with.push(await oneLaunch(kind, true));
    results[kind].without.push(await oneLaunch(kind, false));
  }
}
const firefoxStates = KINDS.includes('firefox') ? await firefoxBackgroundStates() : null;
server.close();
const loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');

const NAMES = { chrome: 'Chromium', firefox: 'Firefox ESR' };
const med = (xs) => stats(xs.filter((x) => x !== null && x !== undefined))?.median ?? null;
const mibOrDash = (kib) => (kib === null ? '-' : mib(kib));
const idleS = IDLE_MS / 1000;
const times = (n) => (n === 1 ? 'once' : `${n} times`);
const lines = [];
lines.push(`<!-- generated by tests/bench/idle_footprint.mjs, ${LAUNCHES} launches per browser and side; do not edit -->`);
lines.push(
  `Each browser was started ${times(LAUNCHES)} with the extension and ${times(LAUNCHES)} without it ` +
    '(alternating; fresh HOME and profile each, headless, one plain http page on 127.0.0.1 open, nothing else ' +
    `done), and measured 5 s and ${idleS + 5} s after that page loaded. Memory is PSS from ` +
    '`/proc/<pid>/smaps_rollup` (shared pages divided among their users, so the sum over processes is the ' +
    'browser\'s real share); "extension process" is the Chromium renderer started with `--extension-process` ' +
    'and Firefox\'s `WebExtensions` content process; CPU is its utime + stime over the idle ' +
    `${idleS} s. Medians over the launches; load average ${loadBefore} before, ${loadAfter} after, ` +
    `${((Date.now() - started) / 60000).toFixed(1)} min in all.`,
);
const at = `${idleS + 5} s`;
const rows = [
  ['all processes, with / without the extension, at 5 s'],
  [`the same at ${at}`],
  [`what the extension adds (the difference) at 5 s / ${at}`],
  ['extension process at 5 s: PSS (RSS)'],
  [`extension process at ${at}`],
  ['that kind of process in the browser without the extension, at 5 s'],
  ['extension process, PSS with minus without, at 5 s'],
  [`CPU time the extension process used while idle (5 s to ${at}, or to its end); without the extension`],
  [`the background at ${at}`],
];
const diff = (a, b) => (a === null || b === null ? '-' : mib(a - b));
const pssRss = (m) => (m ? `${mib(m.pss)} (${mib(m.rss)})` : 'none');
for (const kind of KINDS) {
  const w = results[kind].with;
  const wo = results[kind].without;
  const median = (list, pick) => med(list.map(pick));
  const totalW5 = median(w, (r) => r.early.total);
  const totalWo5 = median(wo, (r) => r.early.total);
  const totalW = median(w, (r) => r.late.total);
  const totalWo = median(wo, (r) => r.late.total);
  const ext5 = w.every((r) => r.early.ext)
    ? { pss: median(w, (r) => r.early.ext.pss), rss: median(w, (r) => r.early.ext.rss) }
    : null;
  const gone = w.filter((r) => r.extGoneAfterS !== null);
  let extLate;
  if (gone.length === w.length) {
    extLate = `ended in ${gone.length} of ${w.length} launches, ${median(gone, (r) => r.extGoneAfterS).toFixed(0)} s after the page loaded (median): 0 MiB`;
  } else {
    const alive = w.filter((r) => r.late.ext);
    extLate =
      `${pssRss({ pss: median(alive, (r) => r.late.ext.pss), rss: median(alive, (r) => r.late.ext.rss) })}` +
      (gone.length ? `; ended in ${gone.length} of ${w.length}` : '');
  }
  const withoutExt = wo.filter((r) => r.early.ext);
  const otherCell = withoutExt.length
    ? `in ${withoutExt.length} of ${wo.length}: ${pssRss({ pss: median(withoutExt, (r) => r.early.ext.pss), rss: median(withoutExt, (r) => r.early.ext.rss) })}`
    : `none (0 of ${wo.length})`;
  const cpu = median(w, (r) => r.idleCpuMs);
  const cpuWithout = median(wo, (r) => r.idleCpuMs);
  const extWithout5 = withoutExt.length === wo.length ? median(wo, (r) => r.early.ext.pss) : 0;
  const running = w.filter((r) => r.backgroundRunning).length;
  let background;
  if (kind === 'chrome') {
    const stopped = w.filter((r) => r.workerStoppedAfterS !== null);
    background =
      `service worker stopped in ${w.length - running} of ${w.length}` +
      (stopped.length ? `, ${median(stopped, (r) => r.workerStoppedAfterS).toFixed(0)} s after the page loaded (median)` : '');
  } else {
    background =
      'event page (a launch of its own, watched from an open extension page): ' +
      firefoxStates.map(([at, up]) => `${up ? 'running' : 'suspended'} at ${at} s`).join(', ');
  }
  const started = w.filter((r) => r.newExtPids.length).length;
  const cells = [
    `${mibOrDash(totalW5)} / ${mibOrDash(totalWo5)}`,
    `${mibOrDash(totalW)} / ${mibOrDash(totalWo)}`,
    `${diff(totalW5, totalWo5)} / **${diff(totalW, totalWo)}**`,
    pssRss(ext5),
    extLate + (started ? `; a new one started in ${started} launches` : ''),
    otherCell,
    ext5 ? mib(ext5.pss - extWithout5) : '-',
    `${cpu === null ? '-' : `${Math.round(cpu)} ms`}; ${cpuWithout === null ? 'no such process' : `${Math.round(cpuWithout)} ms`}`,
    background,
  ];
  cells.forEach((cell, i) => rows[i].push(cell));
}
lines.push('');
lines.push(`| idle, one ordinary page open | ${KINDS.map((k) => NAMES[k]).join(' | ')} |`);
lines.push(`|---|${KINDS.map(() => '---|').join('')}`);
for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
writeFileSync(opts.out, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
console.error(`wrote ${opts.out}`);
