// Reading a browser's processes from /proc (Linux): the process tree under a pid, each process's
// command line, proportional and resident memory (smaps_rollup) and CPU time used (stat).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Clock ticks per second of /proc/<pid>/stat's utime and stime.
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended meanwhile
  }
}

function threadsOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

// The pid and every descendant. Each thread has its own children list: Firefox starts its
// content processes from a thread other than the main one.
export function processTree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i += 1) {
    for (const tid of threadsOf(all[i])) {
      const kids = read(`/proc/${all[i]}/task/${tid}/children`);
      if (kids) all.push(...kids.trim().split(/\s+/).filter(Boolean).map(Number));
    }
  }
  return all.filter((p) => read(`/proc/${p}/stat`) !== null);
}

// As one string: Chromium and Firefox child processes rewrite their argv into one space-separated
// string, so /proc/<pid>/cmdline does not separate their arguments by NULs.
export function commandLine(pid) {
  return (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ').trim();
}

// { pss, rss } in KiB from /proc/<pid>/smaps_rollup; null when the process is gone.
export function memoryOf(pid) {
  const text = read(`/proc/${pid}/smaps_rollup`);
  if (!text) return null;
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { pss: field('Pss'), rss: field('Rss') };
}

// user + system CPU time the process has used so far, in ms; null when the process is gone.
export function cpuMsOf(pid) {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return null;
  // Fields after the command name (which may hold spaces, inside parentheses): utime is field 14.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

// Sum of PSS (KiB) over every process of the tree under pid.
export function treePss(pid) {
  return processTree(pid).reduce((sum, p) => sum + (memoryOf(p)?.pss ?? 0), 0);
}
