#!/usr/bin/env node
// Writes extension/src/_locales/<lang>/messages.json from tools/locales_source.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, MESSAGES, PLACEHOLDERS } from './locales_source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', '_locales');
LANGUAGES.forEach((lang, index) => {
  const out = {};
  for (const [key, texts] of Object.entries(MESSAGES)) {
    const entry = { message: texts[index] };
    const names = PLACEHOLDERS[key];
    if (names) {
      entry.placeholders = Object.fromEntries(names.map((n, i) => [n, { content: `$${i + 1}` }]));
    }
    out[key] = entry;
  }
  mkdirSync(join(root, lang), { recursive: true });
  writeFileSync(join(root, lang, 'messages.json'), `${JSON.stringify(out, null, 2)}\n`);
});
console.log(`wrote ${LANGUAGES.length} locales, ${Object.keys(MESSAGES).length} messages each`);
