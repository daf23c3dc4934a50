// The few statistics the browser benchmarks print: median, min, max of a list of ms or KiB.
export function stats(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

export const ms = (value) => `${Math.round(value)} ms`;
export const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

export function verdict(value, goal) {
  return `<= ${goal} ms: ${value <= goal ? 'met' : 'NOT met'}`;
}
