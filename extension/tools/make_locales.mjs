#!/usr/bin/env node
// Writes extension/src/_locales/<lang>/messages.json from tools/locales_source.mjs.
// tests/extension/locales.test.mjs checks that the committed files are what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, MESSAGES, PLACEHOLDERS } from './locales_source.mjs';

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', '_locales');

// { <lang>: <the text of its messages.json> }, in LANGUAGES order.
export function generateLocales() {
  const files = {};
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
    files[lang] = `${JSON.stringify(out, null, 2)}\n`;
  });
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [lang, text] of Object.entries(generateLocales())) {
    mkdirSync(join(LOCALES_DIR, lang), { recursive: true });
    writeFileSync(join(LOCALES_DIR, lang, 'messages.json'), text);
  }
  console.log(`wrote ${LANGUAGES.length} locales, ${Object.keys(MESSAGES).length} messages each`);
}
