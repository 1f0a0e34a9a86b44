import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readCoverage } from './font-coverage.ts';
import { toWoff, toWoff2 } from './test-woff.ts';

const ttf = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSansMono.ttf');

test('a WOFF or WOFF2 file covers the same characters as the TrueType file it was made from', () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-coverage-'));
  const bytes = readFileSync(ttf);
  writeFileSync(join(dir, 'f.woff'), toWoff(bytes));
  writeFileSync(join(dir, 'f.woff2'), toWoff2(bytes));
  const plain = readCoverage(ttf);
  for (const file of ['f.woff', 'f.woff2']) {
    const c = readCoverage(join(dir, file));
    assert.ok(c.known && c.readable, file);
    for (let cp = 0; cp < 0x3000; cp++) assert.equal(c.has(cp), plain.has(cp), `${file} U+${cp.toString(16)}`);
    assert.equal(c.has(0x4f60), false, `${file}: no CJK`);
  }
});

test('a file with no character map, or not a font, covers nothing and is not readable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-coverage-'));
  writeFileSync(join(dir, 'page.ttf'), '<!doctype html>');
  writeFileSync(join(dir, 'cut.ttf'), readFileSync(ttf).subarray(0, 2000));
  for (const file of ['page.ttf', 'cut.ttf', 'absent.ttf']) {
    const c = readCoverage(join(dir, file));
    assert.equal(c.readable, false, file);
    assert.equal(c.has(0x41), false, file);
  }
});
