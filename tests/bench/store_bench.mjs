#!/usr/bin/env node
// Store benchmarks (not a test): what `epos-trust trust` costs to install
// a printer's certificate into NSS databases, next to mkcert's way (one `certutil -A` process per
// database), and how trust and inspect grow with the number of databases and with the number of
// certificates already in a database. Every figure is the median of RUNS fresh processes, as the
// extension's sendNativeMessage spawns one per request; every timed trust really installs (an
// untimed untrust follows it). Databases are made by certutil in a throw-away HOME; the printer
// is the bundled emulator on 127.0.0.1.
//
//   node tests/bench/store_bench.mjs BUILD_DIR [RUNS] [OUT.md]
//
// Prints a markdown fragment and writes it to OUT.md (default tests/bench/store_results.md) for
// docs/benchmarks.md to include.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../lib/emulator.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';

const [buildArg, runsArg, outArg] = process.argv.slice(2);
if (!buildArg) {
  console.error('usage: store_bench.mjs BUILD_DIR [RUNS] [OUT.md]');
  process.exit(2);
}
const BUILD = resolve(buildArg);
const RUNS = Number(runsArg ?? 21);
const OUT = outArg ?? join(dirname(fileURLToPath(import.meta.url)), 'store_results.md');
const HOST = join(BUILD, 'host/epos-trust');
const EMULATOR = join(BUILD, 'tests/emulator/epos-emulator');

const work = mkdtempSync(join(tmpdir(), 'epos-store-bench-'));
// The emulator's log goes to a file: this script runs the host with spawnSync, so nothing would
// drain a pipe, and a full pipe stalls the emulator mid-handshake.
const printer = await startEmulator({ address: '127.0.0.1', binary: EMULATOR, stderrFile: join(work, 'emulator.log') });
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}
function timed(cmd, args, env) {
  const start = process.hrtime.bigint();
  const out = run(cmd, args, env);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => ms.toFixed(1);

// A HOME with Chromium's database and `profiles` Firefox profiles (docs/browser-behaviour.md §5 paths).
let homes = 0;
function machine({ chromium = true, profiles = 0 } = {}) {
  const home = join(work, `home-${homes++}`);
  const dbs = [];
  if (chromium) dbs.push(join(home, '.local/share/pki/nssdb'));
  for (let i = 0; i < profiles; ++i) dbs.push(join(home, `.mozilla/firefox/p${i}.default`));
  for (const db of dbs) {
    mkdirSync(db, { recursive: true });
    run('certutil', ['-N', '--empty-password', '-d', `sql:${db}`]);
  }
  const env = scratchEnv(home, { stateDir: join(home, 'state') });
  return { home, dbs, env };
}

// Median wall time of `trust` (fresh process each), checking it installed into `expected` stores.
function trustMedian(m, expected, extra = []) {
  const times = [];
  for (let i = 0; i < RUNS; ++i) {
    const { ms, out } = timed(HOST, ['trust', printer.url, '--sha256', printer.sha256, '--yes', '--json', ...extra], m.env);
    const installed = JSON.parse(out).stores.filter((s) => s.outcome === 'installed').length;
    if (installed !== expected) throw new Error(`trust installed into ${installed} stores, not ${expected}: ${out}`);
    times.push(ms);
    run(HOST, ['untrust', '--sha256', printer.sha256], m.env);
  }
  return median(times);
}
function inspectMedian(m) {
  const times = [];
  for (let i = 0; i < RUNS; ++i) times.push(timed(HOST, ['inspect', printer.url, '--json'], m.env).ms);
  return median(times);
}
// mkcert's way (truststore_nss.go): one `certutil -A` process per database. The certificate is
// already a file here, so this does NOT include fetching it from the printer, which trust does.
const pemFile = join(work, 'printer.pem');
writeFileSync(pemFile, printer.pem);
function certutilMedian(m) {
  const times = [];
  for (let i = 0; i < RUNS; ++i) {
    const start = process.hrtime.bigint();
    m.dbs.forEach((db, k) =>
      run('certutil', ['-A', '-d', `sql:${db}`, '-t', k === 0 ? 'P,,' : 'C,,', '-n', 'mkcert-like', '-i', pemFile]));
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    for (const db of m.dbs) run('certutil', ['-D', '-d', `sql:${db}`, '-n', 'mkcert-like']);
  }
  return median(times);
}
// Fills a database with certificates of other sites (one EC key, distinct names and serials).
const fillerKey = join(work, 'filler.key');
run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', fillerKey]);
let fillers = 0;
function addFillers(db, count) {
  for (let i = 0; i < count; ++i) {
    const n = ++fillers;
    const pem = join(work, `filler-${n}.pem`);
    run('openssl', ['req', '-new', '-x509', '-key', fillerKey, '-subj', `/CN=site-${n}.example`, '-set_serial', String(n),
      '-days', '30', '-out', pem]);
    run('certutil', ['-A', '-d', `sql:${db}`, '-t', 'P,,', '-n', `site-${n}`, '-i', pem]);
  }
}

function nssVersion() {
  const q = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libnss3'], { encoding: 'utf8' });
  return q.status === 0 ? q.stdout.trim() : 'unknown';
}

const rows = [];
const log = (line) => {
  rows.push(line);
  console.log(line);
};

log(`<!-- generated by tests/bench/store_bench.mjs ${RUNS} runs per figure; do not edit -->`);
const fsType = spawnSync('stat', ['-f', '-c', '%T', work], { encoding: 'utf8' }).stdout.trim();
log(`Store figures: medians of ${RUNS} fresh processes each, ${cpus().length} cores (${cpus()[0].model.trim()}), ` +
  `printer = bundled emulator on 127.0.0.1, databases made by certutil, libnss3 ${nssVersion()}, ` +
  `HOME and journal on ${fsType} (${tmpdir()}; set TMPDIR to change), load average ${loadavg()[0].toFixed(1)} at start. ` +
  'Writes wait for fsync (SQLite in NSS, the journal), so a busy disk shows in every write figure; `inspect` only reads.');
log('');
log('| work | epos-trust `trust` (fetch + judge + install, one process) | mkcert\'s way: `certutil -A` per database (install only, certificate already a file) |');
log('|---|---|---|');
{
  const one = machine({ chromium: true });
  const all = machine({ chromium: true, profiles: 3 });
  log(`| one database (Chromium) | ${fmt(trustMedian(one, 1))} ms | ${fmt(certutilMedian(one))} ms (1 process) |`);
  log(`| every database: Chromium + 3 Firefox profiles | ${fmt(trustMedian(all, 4))} ms | ${fmt(certutilMedian(all))} ms (4 processes) |`);
}
log('');
log('Growth with the number of databases (Firefox profiles only, `--browser firefox`; `inspect` looks into every one):');
log('');
log('| databases | `trust` | `inspect` |');
log('|---|---|---|');
for (const n of [1, 2, 4, 8, 16]) {
  const m = machine({ chromium: false, profiles: n });
  log(`| ${n} | ${fmt(trustMedian(m, n, ['--browser', 'firefox']))} ms | ${fmt(inspectMedian(m))} ms |`);
}
log('');
log('Growth with the number of certificates already in the database (Chromium\'s, other sites, `P,,`):');
log('');
log('| certificates in the database | `trust` | `inspect` |');
log('|---|---|---|');
{
  const m = machine({ chromium: true });
  let have = 0;
  for (const n of [1, 10, 100, 1000]) {
    addFillers(m.dbs[0], n - have);
    have = n;
    log(`| ${n} | ${fmt(trustMedian(m, 1))} ms | ${fmt(inspectMedian(m))} ms |`);
  }
}
log('');
log(`Load average ${loadavg()[0].toFixed(1)} at the end.`);
writeFileSync(OUT, `${rows.join('\n')}\n`);
console.error(`wrote ${OUT}`);
await printer.stop();
