#!/usr/bin/env node
// Builds the extension from the one source tree (extension/src) into
//   <out>/chrome/   unpacked Chromium-family MV3 extension   <out>/epos-trust-chrome.zip
//   <out>/firefox/  unpacked Firefox extension               <out>/epos-trust-firefox.xpi
// No bundler: the sources are ES modules the browsers load as they are.
// Usage: node extension/build.mjs [--out DIR] [--version X.Y.Z]
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestFor } from './manifest.mjs';
import { makeZip } from './tools/zip.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'src');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function projectVersion() {
  const cmake = readFileSync(join(here, '..', 'CMakeLists.txt'), 'utf8');
  return /project\(epos-trust\s+VERSION\s+([0-9.]+)/.exec(cmake)?.[1] ?? '0.0.0';
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const out = resolve(option('--out', join(here, '..', 'build-ext', 'extension-dist')));
const version = option('--version', projectVersion());
mkdirSync(out, { recursive: true });

const packages = { chrome: 'epos-trust-chrome.zip', firefox: 'epos-trust-firefox.xpi' };
for (const [target, packageName] of Object.entries(packages)) {
  const dir = join(out, target);
  rmSync(dir, { recursive: true, force: true });
  // managed_schema.json is Chromium's (storage.managed_schema); Firefox takes 3rdparty policy as is.
  cpSync(source, dir, {
    recursive: true,
    filter: (path) => !(target === 'firefox' && path.endsWith('managed_schema.json')),
  });
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifestFor(target, version), null, 2)}\n`);
  const files = listFiles(dir).map((path) => ({ name: relative(dir, path), data: readFileSync(path) }));
  writeFileSync(join(out, packageName), makeZip(files));
  console.log(`built ${target}: ${dir} (${files.length} files) and ${join(out, packageName)}`);
}
