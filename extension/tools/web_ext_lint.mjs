#!/usr/bin/env node
// `web-ext lint` of the built Firefox package, failing on any error, warning or notice (the
// issue asks for a clean lint, and web-ext itself exits 0 on warnings).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: web_ext_lint.mjs <built firefox dir>');
  process.exit(2);
}
const webExt = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', 'web-ext', 'bin', 'web-ext.js');
let output;
try {
  output = execFileSync(process.execPath, [webExt, 'lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
    encoding: 'utf8',
  });
} catch (e) {
  output = e.stdout;
}
const report = JSON.parse(output);
const problems = [...report.errors, ...report.warnings, ...report.notices];
for (const p of problems) console.log(`${p._type}: ${p.code}: ${p.message} (${p.file ?? ''})`);
console.log(`web-ext lint: ${report.count} problems (${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.notices} notices)`);
process.exit(problems.length === 0 ? 0 : 1);
