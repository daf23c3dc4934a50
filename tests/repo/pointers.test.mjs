// Every reason the code gives must be readable from a clone: a comment that cites a document of
// the repository names a file that exists and a section that exists in it, and nothing cites the
// notes that lived outside the repository (the shared facts and design notes, the research
// notes) or a tracker's issue numbers. docs/design.md says where the design lives, docs/browser-behaviour.md the facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { readText, repoRoot, trackedFiles } from './lib/tracked_files.mjs';

// Data, not prose: fuzz inputs, generated lock files, images.
const SKIP = [/^package-lock\.json$/, /^tests\/fuzz\/(corpus|regressions|replies)\//, /\.(png|der|pem|crt|xpi|zip)$/];
// Files that a tool writes when it runs (named as its output), not part of the tree.
const OUTPUTS = new Set(['tests/bench/flow_results.md']);
// A placeholder in a usage line ("tests/fuzz/NAME.cpp"), not a file.
const PLACEHOLDER = /\/(?!README|LICENSE|CHANGELOG)[A-Z_]{2,}\.[a-z]+$/;
// This suite names forbidden words and broken pointers in order to look for them.
const SELF = /^tests\/repo\//;

const files = trackedFiles().filter((f) => !SKIP.some((re) => re.test(f)));
const texts = new Map();
for (const f of files) {
  const text = readText(f);
  if (text !== null) texts.set(f, text);
}

// A comment carried over several lines reads as one line: "docs/browser-behaviour.md\n// §5".
function joinComments(text) {
  return text.replace(/[ \t]*\r?\n[ \t]*(?:\/\/+|#+(?!#)|\*(?!\/)|;+)?[ \t]*/g, ' ');
}

function lineOf(text, needle) {
  const at = text.indexOf(needle);
  return at < 0 ? '?' : text.slice(0, at).split('\n').length;
}

// Headings of a markdown file: "## 5. Which NSS database" -> number "5", title "Which NSS database".
const headingCache = new Map();
function headings(doc) {
  if (!headingCache.has(doc)) {
    const text = readText(doc) ?? '';
    const list = [];
    for (const m of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*$/gm)) {
      const title = m[1];
      const num = /^(\d+(?:\.\d+)*)\.?(?:\s|$)/.exec(title);
      list.push({ title, number: num ? num[1] : null });
    }
    headingCache.set(doc, list);
  }
  return headingCache.get(doc);
}

const DOC = String.raw`((?:docs|tests|host|extension|installers|scripts|manifests)/[\w./-]*?\.md)`;

function citations(sources) {
  const found = [];
  for (const [file, raw] of sources) {
    const text = joinComments(raw);
    // <doc> §6 | `<doc>` §6 | <doc> §1 and §2 | §1/§2 | §5, §7 | §2.3   (<doc> = a docs/*.md path)
    const sectionRe = new RegExp(
      DOC + String.raw`\x60?\s*(§\s?\d+(?:\.\d+)*(?:\s*(?:,|and|/|or)\s*§\s?\d+(?:\.\d+)*)*)`,
      'g',
    );
    for (const m of text.matchAll(sectionRe)) {
      for (const s of m[2].matchAll(/§\s?(\d+(?:\.\d+)*)/g)) {
        found.push({ file, doc: m[1], section: s[1], quote: m[0] });
      }
    }
    // docs/design.md "Trust rules"
    const titleRe = new RegExp(DOC + String.raw`\x60?\s+"([^"]{2,80})"`, 'g');
    for (const m of text.matchAll(titleRe)) {
      found.push({ file, doc: m[1], title: m[2], quote: m[0] });
    }
    // Any path of the repository named in a comment or a document.
    const pathRe =
      /(?<![\w./<>$@{-])((?:docs|tests|host|extension|installers|scripts|manifests|cmake)\/[\w.@-]+(?:\/[\w.@-]+)*\.(?:md|mjs|js|cpp|hpp|c|h|sh|py|json|cmake|html|css|wxs|in))(?![\w/*<{-])/g;
    for (const m of text.matchAll(pathRe)) {
      found.push({ file, doc: m[1], quote: m[0] });
    }
  }
  return found;
}

function dangling(sources) {
  const problems = new Set();
  for (const c of citations(sources)) {
    if (OUTPUTS.has(c.doc) || PLACEHOLDER.test(c.doc)) continue;
    const where = `${c.file}:${lineOf(sources.get(c.file), c.doc)}`;
    if (!existsSync(path.join(repoRoot, c.doc))) {
      problems.add(`${where}: ${c.doc} does not exist`);
      continue;
    }
    if (c.section) {
      if (!headings(c.doc).some((h) => h.number === c.section)) {
        problems.add(`${where}: ${c.doc} has no section "${c.section}." ("${c.quote}")`);
      }
    }
    if (c.title) {
      const want = c.title.toLowerCase().replace(/\s+/g, ' ');
      if (!headings(c.doc).some((h) => h.title.toLowerCase().replace(/^\d+(\.\d+)*\.?\s*/, '') === want)) {
        problems.add(`${where}: ${c.doc} has no section titled "${c.title}"`);
      }
    }
  }
  return [...problems];
}

test('every cited repository file exists, and every cited section is a heading in it', () => {
  const problems = dangling(new Map([...texts].filter(([file]) => !SELF.test(file))));
  assert.deepEqual(problems, [], `dangling pointers:\n${problems.join('\n')}`);
});

test('nothing cites notes that are not in the repository, nor issue numbers', () => {
  const forbidden = [
    // The old notes' names are spelt in pieces so that this file does not cite them itself.
    [new RegExp(String.raw`\b${'FACTS'}\.md\b`), 'the shared facts note (now docs/browser-behaviour.md §N)'],
    [new RegExp(String.raw`\b${'DESIGN'}\.md\b`), 'the shared design note (now docs/design.md)'],
    [/shared\/research|\bresearch\/[\w-]+\.md/, 'research notes (now docs/epos-and-odoo.md, docs/browser-behaviour.md)'],
    [/\bissues? #?\d+\b/i, 'an issue number'],
  ];
  const problems = [];
  for (const [file, text] of texts) {
    if (SELF.test(file)) continue;
    text.split('\n').forEach((line, i) => {
      for (const [re, what] of forbidden) {
        if (re.test(line)) problems.push(`${file}:${i + 1}: cites ${what}: ${line.trim().slice(0, 120)}`);
      }
    });
  }
  assert.deepEqual(problems, [], `run /work/rewrite-pointers.sh or fix by hand:\n${problems.join('\n')}`);
});

test('docs/browser-behaviour.md keeps its sections 1 to 9, in order', () => {
  const numbered = headings('docs/browser-behaviour.md')
    .filter((h) => h.number && !h.number.includes('.'))
    .map((h) => h.number);
  assert.deepEqual(numbered, ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
});

test('the checker finds a dangling pointer when there is one', () => {
  // A pattern that matched nothing would pass every tree: feed it the forms the tree uses.
  const sample = new Map([
    [
      'sample.cpp',
      [
        '// fine: docs/browser-behaviour.md',
        '// §6 and §9, docs/design.md "Trust rules", tests/faults/README.md',
        '// wrong section: docs/browser-behaviour.md §10',
        '// wrong title: docs/design.md "No such part"',
        `// wrong file: docs/${'faults'}.md, tests/fuzz/run-ci.sh, docs/${'nothing'}.md §1`,
      ].join('\n'),
    ],
  ]);
  const problems = dangling(sample);
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.match(problems.join('\n'), /no section "10\."/);
  assert.match(problems.join('\n'), /no section titled "No such part"/);
  assert.match(problems.join('\n'), /docs\/faults\.md does not exist/);
  assert.match(problems.join('\n'), /run-ci\.sh does not exist/);
  assert.match(problems.join('\n'), /docs\/nothing\.md does not exist/);
  assert.ok(citations(texts).length > 100, 'the tree cites its own files more than a hundred times');
});
