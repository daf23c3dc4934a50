// One registry of error codes (host/src/util/error_codes.hpp), checked against everything that
// names a code: every Failure the host throws, docs/protocol.md's table (the contract), and the
// sentences the extension shows (extension/src/ui/messages.js). A code missing from any of them,
// or a table listing one twice, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from './lib/tracked_files.mjs';

const read = (rel) => readFileSync(path.join(repoRoot, rel), 'utf8');

// The codes the extension's host client makes itself (the host never sends them):
// extension/src/lib/host_client.js.
const EXTENSION_CODES = ['host_missing', 'host_forbidden', 'host_too_old', 'host_exited', 'host_timeout'];

export function parseRegistry(text) {
  return [...text.matchAll(/ErrorCode\{"([a-z0-9_]+)",\s*Face::(\w+)\}/g)].map((m) => ({ code: m[1], face: m[2] }));
}

// The rows of the "### Error codes" table of docs/protocol.md.
export function parseProtocolTable(text) {
  const start = text.indexOf('### Error codes');
  assert.ok(start >= 0, 'docs/protocol.md has no "### Error codes" section');
  const section = text.slice(start, text.indexOf('\n## ', start) >>> 0 || undefined);
  return [...section.matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|/gm)].map((m) => m[1]);
}

function sources(dir) {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return /\.(cpp|hpp|h|in)$/.test(e.name) ? [rel] : [];
  });
}

// Every code the host's source throws or answers with: Failure("x" / Failure{"x" (comments
// included: they tell callers what to expect) and error_reply(id, "x".
export function thrownCodes() {
  const found = new Map();
  for (const file of sources('host/src')) {
    const text = read(file);
    for (const m of text.matchAll(/\bFailure\s*[({]\s*"([a-z0-9_]+)"|\berror_reply\(\s*[^,()]+,\s*"([a-z0-9_]+)"/g)) {
      const code = m[1] ?? m[2];
      if (!found.has(code)) found.set(code, `${file}:${text.slice(0, m.index).split('\n').length}`);
    }
  }
  return found;
}

const registry = parseRegistry(read('host/src/util/error_codes.hpp'));
const registered = new Set(registry.map((e) => e.code));
const protocolCodes = new Set(registry.filter((e) => e.face === 'Protocol').map((e) => e.code));
const table = parseProtocolTable(read('docs/protocol.md'));
const thrown = thrownCodes();

test('the registry lists each code once', () => {
  assert.ok(registry.length > 20, 'the registry was read');
  const twice = registry.map((e) => e.code).filter((c, i, all) => all.indexOf(c) !== i);
  assert.deepEqual(twice, []);
});

test('every code the host throws is in the registry', () => {
  const missing = [...thrown].filter(([code]) => !registered.has(code)).map(([code, at]) => `${code} (${at})`);
  assert.deepEqual(missing, [], 'add them to host/src/util/error_codes.hpp and docs/protocol.md');
});

test("docs/protocol.md's table lists each code once, every one registered", () => {
  const twice = table.filter((c, i) => table.indexOf(c) !== i);
  assert.deepEqual(twice, [], 'listed twice in docs/protocol.md');
  const unregistered = table.filter((c) => !protocolCodes.has(c));
  assert.deepEqual(unregistered, [], 'documented but not a protocol code of the registry');
});

test('every protocol code the host throws is documented in docs/protocol.md', (t) => {
  const undocumented = [...thrown]
    .filter(([code]) => protocolCodes.has(code) && !table.includes(code))
    .map(([code, at]) => `${code} (${at})`);
  assert.deepEqual(undocumented, []);
  // Registered ahead of the code that throws them (a teammate's branch not merged yet): fine,
  // but say so, so that a code nobody throws any more is noticed.
  const ahead = [...protocolCodes].filter((c) => !thrown.has(c) && !table.includes(c));
  if (ahead.length) t.diagnostic(`registered, not yet thrown or documented: ${ahead.join(', ')}`);
});

test("the extension's sentences are for registered codes or its own", () => {
  const messages = read('extension/src/ui/messages.js');
  const block = /const ERROR_KEYS = \{([\s\S]*?)\n\};/.exec(messages);
  assert.ok(block, 'ERROR_KEYS not found in extension/src/ui/messages.js');
  const keys = [...block[1].matchAll(/^\s*([a-z0-9_]+):/gm)].map((m) => m[1]);
  assert.ok(keys.length > 10, 'ERROR_KEYS was read');
  // And any the extension makes itself elsewhere: new HostError('not_in_networks', ...).
  const own = new Set(EXTENSION_CODES);
  const walk = (dir) =>
    readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.js') ? [`${dir}/${e.name}`] : [],
    );
  for (const file of walk('extension/src')) {
    for (const m of read(file).matchAll(/new HostError\(\s*'([a-z0-9_]+)'/g)) own.add(m[1]);
  }
  const unknown = keys.filter((k) => !registered.has(k) && !own.has(k));
  assert.deepEqual(unknown, [], 'messages.js maps codes the host never sends');
  const client = read('extension/src/lib/host_client.js');
  for (const own of EXTENSION_CODES) assert.match(client, new RegExp(`'${own}'`), `host_client.js makes ${own}`);
});

test('the checks see a code that drifted', () => {
  assert.deepEqual(parseRegistry('ErrorCode{"a_b", Face::Cli}, ErrorCode{"c", Face::Protocol}'), [
    { code: 'a_b', face: 'Cli' },
    { code: 'c', face: 'Protocol' },
  ]);
  assert.deepEqual(parseProtocolTable('### Error codes\n| code | when |\n| `x` | y |\n| `x` | z |\n\n## Commands\n| `no` | |'), ['x', 'x']);
  assert.ok(thrown.has('bad_request') && thrown.has('journal_corrupt'), 'the host source was scanned');
});
