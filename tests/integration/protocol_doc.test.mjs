// Replays every request/reply example of docs/protocol.md against the real binary, so that the
// document and the code cannot drift apart. In an example reply, "<string>" matches any string,
// "<hex64>"/"<hex40>" a lowercase hex fingerprint, "<number>" any number; everything else must be
// equal, objects must have exactly the keys shown, arrays exactly the elements shown.
// "https://127.0.0.25:8443" in an example stands for the bundled emulator, and
// "https://127.0.0.26:8443" for one presenting the too-broad certificate (public names beside the
// printer's); "<presented>" in a request stands for the fingerprint that emulator presents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ask } from '../lib/host.mjs';
import { scratchEnv } from '../lib/scratch_home.mjs';
import { startEmulator } from '../lib/emulator.mjs';

const DOC = join(process.env.EPOS_SOURCE_DIR ?? '.', 'docs', 'protocol.md');
const EXAMPLE_ORIGIN = 'https://127.0.0.25:8443';
const BROAD_ORIGIN = 'https://127.0.0.26:8443';

export function examples(markdown) {
  const blocks = [...markdown.matchAll(/```json (request|reply)\n([\s\S]*?)```/g)];
  const pairs = [];
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i][1] !== 'request') continue;
    assert.equal(blocks[i + 1]?.[1], 'reply', `request block ${pairs.length + 1} has no reply block after it`);
    pairs.push({ request: blocks[i][2], reply: blocks[i + 1][2] });
  }
  return pairs;
}

function matches(expected, actual, path = '$') {
  if (expected === '<string>') return assert.equal(typeof actual, 'string', path);
  if (expected === '<number>') return assert.equal(typeof actual, 'number', path);
  if (expected === '<hex64>') return assert.match(actual, /^[0-9a-f]{64}$/, path);
  if (expected === '<hex40>') return assert.match(actual, /^[0-9a-f]{40}$/, path);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} is an array`);
    assert.equal(actual.length, expected.length, `${path} length: ${JSON.stringify(actual).slice(0, 400)}`);
    expected.forEach((e, i) => matches(e, actual[i], `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path} is an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path} keys`);
    for (const key of Object.keys(expected)) matches(expected[key], actual[key], `${path}.${key}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}

let printer;
let broad;
const home = mkdtempSync(join(tmpdir(), 'epos-doc-home-')); // no browser stores: "stores": []
before(async () => {
  printer = await startEmulator({ address: '127.0.0.25', shape: 'good' });
  broad = await startEmulator({ address: '127.0.0.26', shape: 'too-broad' });
});
after(() => {
  printer?.stop();
  broad?.stop();
});

const pairs = examples(readFileSync(DOC, 'utf8'));

test('docs/protocol.md has examples to replay', () => {
  assert.ok(pairs.length >= 6, `found ${pairs.length}`);
});

for (const [index, pair] of pairs.entries()) {
  test(`docs/protocol.md example ${index + 1}: ${pair.request.trim()}`, async () => {
    const broadExample = pair.request.includes(BROAD_ORIGIN);
    const origin = broadExample ? broad.url : printer.url;
    const port = String(new URL(origin).port);
    const substitute = (text) =>
      text
        .replaceAll(EXAMPLE_ORIGIN, printer.url)
        .replaceAll(BROAD_ORIGIN, broad.url)
        .replaceAll('"<presented>"', JSON.stringify((broadExample ? broad : printer).sha256))
        .replace(/"port": 8443/g, `"port": ${port}`);
    const request = JSON.parse(substitute(pair.request));
    const expected = JSON.parse(substitute(pair.reply));
    const reply = await ask(request, { env: scratchEnv(home) });
    matches(expected, reply);
  });
}
