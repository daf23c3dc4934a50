// The numbers measured in the end-to-end runs and printed at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const samples = new Map();

// Keeps the figure for the report and returns it (rounded), for callers that also want it
// themselves (tests/bench/flow_bench.mjs).
export function record(name, ms) {
  if (!samples.has(name)) samples.set(name, []);
  const rounded = Math.round(ms);
  samples.get(name).push(rounded);
  return rounded;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

export function summary() {
  return Object.fromEntries(
    [...samples].map(([name, values]) => [name, { median: median(values), samples: values }]),
  );
}

export function report(browserName) {
  const data = summary();
  console.log(`\n== epos-trust end-to-end figures (${browserName}) ==`);
  for (const [name, { median: m, samples: s }] of Object.entries(data)) {
    console.log(`${name}: median ${m} ms over ${s.length} run(s) [${s.join(', ')}]`);
  }
  const file = process.env.EPOS_E2E_RESULTS;
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ browser: browserName, figures: data }, null, 2)}\n`);
  }
  return data;
}
