// The host's layers (docs/design.md "The host's layers"), enforced rather than claimed. Each
// folder of host/src/ is a layer and a library; a layer may include only layers below it, never one
// above and never a sibling, and its library links exactly the layers it includes, so that a wrong
// include fails here instead of compiling because some parent happened to be linked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from './lib/tracked_files.mjs';

// Lowest first. Layers of one rank are siblings: neither may include the other.
const ORDER = [['util'], ['cert'], ['net'], ['store'], ['policy'], ['ops'], ['wire'], ['nm', 'cli'], ['main']];
const RANK = new Map(ORDER.flatMap((names, rank) => names.map((n) => [n, rank])));
const LAYERS = [...RANK.keys()];

const SRC = path.join(repoRoot, 'host/src');

function sourcesOf(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesOf(abs));
    else if (/\.(cpp|hpp|h|cc|mm|in)$/.test(entry.name)) out.push(abs);
  }
  return out;
}

// { layer: [{file, line, target}] } for every #include "<layer>/..." of the tree.
function includesByLayer() {
  const result = new Map(LAYERS.map((l) => [l, []]));
  const add = (layer, file) => {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = /^\s*#\s*include\s+"([\w.-]+)\//.exec(text);
        if (m && RANK.has(m[1])) {
          result.get(layer).push({ file: path.relative(repoRoot, file), line: i + 1, target: m[1] });
        }
      });
  };
  for (const layer of LAYERS) {
    if (layer === 'main') add('main', path.join(SRC, 'main.cpp'));
    else for (const f of sourcesOf(path.join(SRC, layer))) add(layer, f);
  }
  return result;
}

// An include that goes up or sideways, as a sentence; null when it goes down or stays home.
export function wrongInclude(from, to) {
  if (from === to) return null;
  if (RANK.get(to) > RANK.get(from)) return `${from} includes ${to}, a layer above it`;
  if (RANK.get(to) === RANK.get(from)) return `${from} includes ${to}, a sibling`;
  return null;
}

// The epos_<layer> libraries each library links, from host/CMakeLists.txt:
// epos_layer(epos_net net epos_util ...) and target_link_libraries(epos_store PUBLIC ...).
function linksByLayer() {
  const text = readFileSync(path.join(repoRoot, 'host/CMakeLists.txt'), 'utf8').replace(/#.*$/gm, '');
  const links = new Map(LAYERS.map((l) => [l, new Set()]));
  const layerOf = (target) => (target === 'epos-trust' ? 'main' : target.replace(/^epos_/, ''));
  for (const m of text.matchAll(/epos_layer\(\s*(epos_\w+)\s+(\w+)([^)]*)\)/g)) {
    for (const dep of m[3].matchAll(/\bepos_(\w+)\b/g)) {
      if (RANK.has(dep[1])) links.get(layerOf(m[1])).add(dep[1]);
    }
  }
  for (const m of text.matchAll(/target_link_libraries\(\s*([\w-]+)([^)]*)\)/g)) {
    const layer = layerOf(m[1]);
    if (!links.has(layer)) continue;
    for (const dep of m[2].matchAll(/\bepos_(\w+)\b/g)) {
      if (RANK.has(dep[1])) links.get(layer).add(dep[1]);
    }
  }
  return links;
}

const includes = includesByLayer();

test('every layer includes only layers below it (util <- cert <- net <- store <- policy <- ops <- wire <- nm, cli <- main)', () => {
  const problems = [];
  for (const [layer, list] of includes) {
    for (const inc of list) {
      const wrong = wrongInclude(layer, inc.target);
      if (wrong) problems.push(`${inc.file}:${inc.line}: ${wrong}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('every layer links exactly the layers it includes (host/CMakeLists.txt)', () => {
  const links = linksByLayer();
  const problems = [];
  for (const layer of LAYERS) {
    const used = new Set(includes.get(layer).map((i) => i.target).filter((t) => t !== layer));
    const linked = links.get(layer);
    for (const l of linked) {
      if (!used.has(l)) problems.push(`${layer} links epos_${l} but includes nothing of it`);
    }
    for (const u of used) {
      const file = includes.get(layer).find((i) => i.target === u).file;
      if (!linked.has(u)) problems.push(`${layer} includes ${u} (${file}) but does not link epos_${u}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the README states the same order', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  assert.match(readme, /util <- cert <- net <- store <- policy <- ops <- wire <- nm[^\n]*, cli <- main/);
});

test('the check catches an include that goes up or sideways', () => {
  assert.equal(wrongInclude('policy', 'net'), null);
  assert.equal(wrongInclude('store', 'store'), null);
  assert.match(wrongInclude('net', 'store'), /above/);
  assert.match(wrongInclude('util', 'main'), /above/);
  assert.match(wrongInclude('nm', 'cli'), /sibling/);
  assert.match(wrongInclude('cli', 'nm'), /sibling/);
  assert.ok(includes.get('ops').length > 10, 'the scan sees the includes of ops/');
});
