import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FINDING_CODES, errorMessageKeys } from '../../extension/src/ui/messages.js';

const SRC = new URL('../../extension/src/', import.meta.url).pathname;
const LOCALES = join(SRC, '_locales');
const LANGS = ['en', 'it', 'fr', 'es', 'de', 'nl'];
const load = (lang) => JSON.parse(readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8'));

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(js|html)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

test('the six languages exist and have the same keys and placeholders', () => {
  assert.deepEqual(readdirSync(LOCALES).sort(), [...LANGS].sort());
  const en = load('en');
  for (const lang of LANGS) {
    const messages = load(lang);
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(en).sort(), lang);
    for (const [key, entry] of Object.entries(messages)) {
      assert.ok(entry.message.trim().length > 0, `${lang}.${key} is empty`);
      const used = [...entry.message.matchAll(/\$([A-Z_]+)\$/g)].map((m) => m[1].toLowerCase()).sort();
      assert.deepEqual(used, Object.keys(entry.placeholders ?? {}).sort(), `${lang}.${key} placeholders`);
    }
  }
});

test('every message the code asks for exists', () => {
  const en = load('en');
  const wanted = new Set(['extName', 'extDescription', 'actionTitle', ...errorMessageKeys(), 'errInternal']);
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\('([A-Za-z]+)'/g)) wanted.add(m[1]);
    for (const m of text.matchAll(/data-i18n(?:-title)?="([A-Za-z]+)"/g)) wanted.add(m[1]);
    for (const m of text.matchAll(/\bt\([A-Za-z_. ]+\? '([A-Za-z]+)' : '([A-Za-z]+)'/g)) wanted.add(m[1]).add(m[2]);
  }
  for (const code of FINDING_CODES) {
    const name = code.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
    const cap = name[0].toUpperCase() + name.slice(1);
    wanted.add(`finding${cap}`).add(`action${cap}`);
  }
  const missing = [...wanted].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
});

test('translations are translations (not English copies) for the long sentences', () => {
  const en = load('en');
  for (const lang of LANGS.filter((l) => l !== 'en')) {
    const messages = load(lang);
    const copies = Object.keys(en).filter((k) => en[k].message.length > 40 && messages[k].message === en[k].message);
    assert.deepEqual(copies, [], lang);
  }
});

test('the committed _locales are exactly what tools/make_locales.mjs makes of locales_source.mjs', async () => {
  const { generateLocales } = await import('../../extension/tools/make_locales.mjs');
  const generated = generateLocales();
  assert.deepEqual(Object.keys(generated).sort(), [...LANGS].sort());
  for (const [lang, text] of Object.entries(generated)) {
    assert.equal(
      readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8'),
      text,
      `extension/src/_locales/${lang}/messages.json differs from locales_source.mjs: run node extension/tools/make_locales.mjs`,
    );
  }
});
