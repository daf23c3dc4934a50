// The repository's own text files, for the checks that read the tree itself (pointers, layers).
// `git ls-files` when the tree is a git checkout (what CI has); otherwise a walk of the folder
// that skips what a build or npm leaves behind.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot =
  process.env.EPOS_SOURCE_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const SKIP_DIRS = new Set(['.git', 'node_modules', 'build', 'build-fuzz', 'dist']);

function walk(dir, out) {
  for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('build')) walk(rel, out);
    } else if (entry.isFile()) {
      out.push(rel);
    }
  }
  return out;
}

export function trackedFiles() {
  try {
    const listed = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
    // A file deleted in the working tree but not yet in the index is not part of the tree.
    return listed.split('\0').filter((f) => f && existsSync(path.join(repoRoot, f)));
  } catch {
    return walk('', []);
  }
}

// The text of a file, or null for binary data (a NUL byte in the first 8 KiB) or a symlink.
export function readText(rel) {
  const abs = path.join(repoRoot, rel);
  if (!statSync(abs).isFile()) return null;
  const bytes = readFileSync(abs);
  if (bytes.subarray(0, 8192).includes(0)) return null;
  return bytes.toString('utf8');
}
