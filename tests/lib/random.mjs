// Random choices a test can replay. A suite that picks random delays or inputs takes its seed
// from an environment variable when set, else a fresh one, and prints it, so a failure seen once
// can be run again with the same choices: e.g. EPOS_FAULT_SEED=1234567 node --test kill.test.mjs.
import { randomInt } from 'node:crypto';

// mulberry32: a small, fast 32-bit generator; plenty for spreading test delays.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// { seed, random, replay } where random() is in [0, 1) like Math.random and `replay` is the
// command-line prefix that repeats the same sequence. `variable` names the seed's variable.
export function seededRandom(variable) {
  const given = process.env[variable];
  if (given !== undefined && !/^\d{1,10}$/.test(given)) {
    throw new Error(`${variable} must be a decimal number below 2^32, not "${given}"`);
  }
  const seed = given !== undefined ? Number(given) >>> 0 : randomInt(2 ** 32 - 1);
  return { seed, random: mulberry32(seed), replay: `${variable}=${seed}` };
}
