import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { crc32, makeZip } from '../../extension/tools/zip.mjs';

const BUILD = new URL('../../extension/build.mjs', import.meta.url).pathname;

test('crc32 of a known string', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('the zip writer stores entries that read back', () => {
  const zip = makeZip([{ name: 'b.txt', data: Buffer.from('bee') }, { name: 'a/ä.json', data: Buffer.from('{"x":1}') }]);
  assert.equal(zip.readUInt32LE(0), 0x04034b50);
  const nameLength = zip.readUInt16LE(26);
  const packedSize = zip.readUInt32LE(18);
  assert.equal(zip.subarray(30, 30 + nameLength).toString(), 'a/ä.json'); // sorted
  const data = inflateRawSync(zip.subarray(30 + nameLength, 30 + nameLength + packedSize));
  assert.equal(data.toString(), '{"x":1}');
  assert.equal(zip.readUInt32LE(zip.length - 22), 0x06054b50);
  assert.equal(zip.readUInt16LE(zip.length - 12), 2);
});

test('the build makes both packages from the one source tree', () => {
  const out = mkdtempSync(join(tmpdir(), 'epos-ext-build-'));
  try {
    execFileSync(process.execPath, [BUILD, '--out', out, '--version', '9.8.7']);
    const chrome = JSON.parse(readFileSync(join(out, 'chrome', 'manifest.json'), 'utf8'));
    const firefox = JSON.parse(readFileSync(join(out, 'firefox', 'manifest.json'), 'utf8'));
    assert.equal(chrome.version, '9.8.7');
    assert.equal(chrome.manifest_version, 3);
    assert.equal(firefox.manifest_version, 2);
    assert.ok(existsSync(join(out, 'chrome', 'managed_schema.json')));
    assert.ok(!existsSync(join(out, 'firefox', 'managed_schema.json')));
    assert.ok(existsSync(join(out, 'epos-trust-chrome.zip')));
    assert.ok(existsSync(join(out, 'epos-trust-firefox.xpi')));
    // Built twice, the same bytes: the packages are reproducible.
    const first = readFileSync(join(out, 'epos-trust-firefox.xpi'));
    execFileSync(process.execPath, [BUILD, '--out', out, '--version', '9.8.7']);
    assert.ok(first.equals(readFileSync(join(out, 'epos-trust-firefox.xpi'))));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
