import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { MontageError } from '../../errors/registry.ts';
import { FontRegistry } from './font-registry.ts';
import { styledSpans } from './text-spans.ts';

const ttf = (file: string) =>
  join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', file);
const width = (font: string, text = 'Hello, world') => {
  const ctx = createCanvas(1, 1).getContext('2d');
  ctx.font = font;
  return ctx.measureText(text).width;
};
const scratch = () => mkdtempSync(join(tmpdir(), 'montage-fonts-'));
/** How much ink `text` paints in `font` (alpha summed over a canvas, in whole pixels). */
const ink = (font: string, text: string) => {
  const canvas = createCanvas(400, 80);
  const ctx = canvas.getContext('2d');
  ctx.font = font;
  ctx.fillText(text, 4, 60);
  const data = ctx.getImageData(0, 0, 400, 80).data;
  let sum = 0;
  for (let i = 3; i < data.length; i += 4) sum += data[i];
  return sum / 255;
};

test('resolves the default and bundled families to distinct faces', () => {
  const fonts = new FontRegistry();
  const sans = fonts.resolve();
  assert.match(sans, /^400 48px "/);
  assert.equal(fonts.resolve('sans-serif'), sans);
  assert.equal(fonts.resolve('  dejavu SANS '), sans, 'family names match case-insensitively');
  assert.equal(fonts.resolve('serif'), fonts.resolve('DejaVu Serif'));
  assert.equal(fonts.resolve('monospace', 'normal', 20), fonts.resolve('DejaVu Sans Mono', 400, 20));
  // Really different fonts, not one fallback: monospace makes 'iiii' as wide as 'MMMM'.
  const mono = fonts.resolve('monospace');
  assert.equal(width(mono, 'iiii'), width(mono, 'MMMM'));
  assert.notEqual(width(sans, 'iiii'), width(sans, 'MMMM'));
  assert.notEqual(width(fonts.resolve('serif')), width(sans));
});

test('bold and numeric weights pick the nearest face', () => {
  const fonts = new FontRegistry();
  const face = (family: string | undefined, weight: 'bold' | 100 | 200 | 300 | 400 | 500 | 700 | 900) =>
    fonts.resolveFont({ family, weight }).faces[0];
  assert.equal(fonts.resolve(undefined, 'bold'), fonts.resolve(undefined, 700));
  assert.deepEqual(face(undefined, 900), face(undefined, 700));
  assert.deepEqual(face(undefined, 500), face(undefined, 400));
  assert.deepEqual(face(undefined, 100), face(undefined, 200), 'ExtraLight is bundled');
  assert.ok(width(fonts.resolve(undefined, 'bold')) > width(fonts.resolve(undefined, 'normal')));
  assert.equal(face('serif', 300).weight, 400, 'serif has no light face; 300 falls to 400');
  // The bold face is drawn as it is at 900 (not emboldened again), the regular one as it is at 500.
  assert.equal(ink(fonts.resolve(undefined, 900, 40), 'Hello'), ink(fonts.resolve(undefined, 700, 40), 'Hello'));
  assert.equal(ink(fonts.resolve(undefined, 500, 40), 'Hello'), ink(fonts.resolve(undefined, 400, 40), 'Hello'));
});

test('an unknown family is an invalid composition that lists the available ones', () => {
  const fonts = new FontRegistry();
  assert.throws(() => fonts.resolve('Comic Sans', undefined, 48, '/tracks/0/clips/1/asset/font/family'), (e: unknown) => {
    assert.ok(e instanceof MontageError);
    assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.deepEqual(e.problems.map((p) => p.pointer), ['/tracks/0/clips/1/asset/font/family']);
    assert.match(e.message, /"Comic Sans" is not available/);
    assert.match(e.message, /"DejaVu Sans", "sans-serif", "DejaVu Serif"/);
    return true;
  });
});

test('a declared font file is usable by its family name', () => {
  const dir = scratch();
  copyFileSync(ttf('DejaVuSerif.ttf'), join(dir, 'brand.ttf'));
  const fonts = new FontRegistry();
  fonts.registerFile('Brand', join(dir, 'brand.ttf'));
  assert.equal(width(fonts.resolve('brand')), width(fonts.resolve('serif')));
  assert.ok(fonts.families().includes('Brand'));
});

test('two renders declaring one family name with different files do not clash', () => {
  const a = new FontRegistry();
  const b = new FontRegistry();
  a.registerFile('Brand', ttf('DejaVuSerif.ttf'));
  b.registerFile('Brand', ttf('DejaVuSansMono.ttf'));
  assert.notEqual(a.resolve('Brand'), b.resolve('Brand'));
  assert.equal(width(a.resolve('Brand')), width(a.resolve('serif')));
  assert.equal(width(b.resolve('Brand')), width(b.resolve('monospace')));
  assert.throws(() => new FontRegistry().resolve('Brand'), /not available/, 'a fresh render does not see it');
});

test('regular and bold files under one family are chosen by weight', () => {
  const fonts = new FontRegistry();
  fonts.registerFile('Brand', ttf('DejaVuSerif.ttf'));
  fonts.registerFile('Brand', ttf('DejaVuSerif-Bold.ttf'));
  assert.equal(width(fonts.resolve('Brand', 'bold')), width(fonts.resolve('serif', 'bold')));
  assert.equal(width(fonts.resolve('Brand')), width(fonts.resolve('serif')));
});

test('a declared family with only a regular face is emboldened for bold, as browsers synthesize it', () => {
  const fonts = new FontRegistry();
  fonts.registerFile('Brand', ttf('DejaVuSerif.ttf'));
  const regular = ink(fonts.resolve('Brand', 400, 40), 'Hello');
  for (const weight of [600, 700, 'bold', 900] as const) {
    const bold = ink(fonts.resolve('Brand', weight, 40), 'Hello');
    assert.ok(bold > regular * 1.2, `weight ${weight}: ${bold.toFixed(0)} px of ink, regular ${regular.toFixed(0)}`);
  }
  assert.equal(ink(fonts.resolve('Brand', 500, 40), 'Hello'), regular, 'below 600 the regular face is drawn as it is');
});

test('a declared family with only a bold face does not embolden the fallback fonts of a regular text', () => {
  const fonts = new FontRegistry();
  fonts.registerFile('Brand', ttf('DejaVuSerif-Bold.ttf'));
  // Ѡ (U+0460): DejaVu Serif Bold lacks it, so the chain's DejaVu Sans draws it, in its regular face.
  const chain = ink(fonts.resolve(undefined, 400, 40), '\u0460');
  assert.equal(ink(fonts.resolve('Brand', 400, 40), '\u0460'), chain, 'the regular fallback face is drawn as it is');
  assert.ok(ink(fonts.resolve('Brand', 400, 40), 'H') > ink(fonts.resolve('serif', 400, 40), 'H') * 1.2, 'the bold face itself is drawn bold');
});

test('declaring a bundled name replaces the bundled font for that render only', () => {
  const fonts = new FontRegistry();
  fonts.registerFile('sans-serif', ttf('DejaVuSerif.ttf'));
  assert.equal(width(fonts.resolve('sans-serif')), width(fonts.resolve('serif')));
  assert.notEqual(width(fonts.resolve('DejaVu Sans')), width(fonts.resolve('serif')));
});

test('a file that is not a loadable font is MONTAGE_E_FONT_UNREADABLE naming the family', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'page.ttf'), '<!doctype html><title>404</title>');
  // Right signature, broken tables: only Skia can tell, so its answer is checked too.
  writeFileSync(join(dir, 'truncated.ttf'), Buffer.concat([Buffer.from('00010000', 'hex'), Buffer.alloc(60, 7)]));
  const cases = [join(dir, 'page.ttf'), join(dir, 'truncated.ttf'), join(dir, 'missing.ttf')];
  for (const path of cases) {
    assert.throws(() => new FontRegistry().registerFile('Brand Display', path, '/fonts/0'), (e: unknown) => {
      assert.ok(e instanceof MontageError, path);
      assert.equal(e.code, 'MONTAGE_E_FONT_UNREADABLE');
      assert.match(e.message, /"Brand Display"/);
      assert.deepEqual(e.problems.map((p) => p.pointer), ['/fonts/0']);
      return true;
    });
  }
});

test('a font with a damaged character map is MONTAGE_E_FONT_UNREADABLE that says so and how to fix it', () => {
  const dir = scratch();
  const bytes = readFileSync(ttf('DejaVuSerif.ttf'));
  const cmap = tableOf(bytes, 'cmap');
  bytes.fill(0xab, cmap.offset, cmap.offset + cmap.length);
  writeFileSync(join(dir, 'no-cmap.ttf'), bytes);
  assert.throws(() => new FontRegistry().registerFile('Brand', join(dir, 'no-cmap.ttf'), '/fonts/2/src'), (e: unknown) => {
    assert.ok(e instanceof MontageError);
    assert.equal(e.code, 'MONTAGE_E_FONT_UNREADABLE');
    assert.deepEqual(e.problems.map((p) => p.pointer), ['/fonts/2/src']);
    assert.match(e.message, /"cmap" table\) is missing or damaged.*use an undamaged TTF, OTF, TTC, WOFF or WOFF2 file/);
    return true;
  });
});

test('a fallback font file that Skia refuses is a warning naming the file, and its characters go to the next font that has them', () => {
  const dir = scratch();
  // A copy of DejaVu Serif whose `head` table is zeroed: its character map still reads, Skia refuses it.
  const bytes = readFileSync(ttf('DejaVuSerif.ttf'));
  const head = tableOf(bytes, 'head');
  bytes.fill(0, head.offset, head.offset + head.length);
  const broken = join(dir, 'broken-serif.ttf');
  writeFileSync(broken, bytes);
  const fonts = new FontRegistry({ fallback: [
    { family: 'Broken Serif', faces: [{ path: broken, weight: 400, italic: false }] },
    { family: 'Good Serif', faces: [{ path: ttf('DejaVuSerif.ttf'), weight: 400, italic: false }] },
  ] });
  const text = '\u02EF'; // a modifier letter DejaVu Serif has and DejaVu Sans (first in the chain) lacks
  const warnings: { pointer: string; detail: string }[] = [];
  styledSpans({ text }, fonts, 1, '/tracks/0/clips/0/asset', (w) => warnings.push(w));
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.equal(warnings[0].pointer, '/tracks/0/clips/0/asset/text');
  assert.ok(warnings[0].detail.includes(broken), warnings[0].detail);
  assert.match(warnings[0].detail, /reinstall Montage's fonts/);
  const font = fonts.resolveFont({});
  assert.deepEqual(fonts.missingCharacters(text, font), [], 'the good file after it has the character');
  // Without the good file the character is missing too.
  const alone = new FontRegistry({ fallback: [{ family: 'Broken Serif', faces: [{ path: broken, weight: 400, italic: false }] }] });
  assert.deepEqual(alone.missingCharacters(text, alone.resolveFont({})), [text]);
});

/** Where a table lies in a TrueType file. */
function tableOf(bytes: Buffer, tag: string): { offset: number; length: number } {
  for (let i = 0; i < bytes.readUInt16BE(4); i++) {
    const at = 12 + 16 * i;
    if (bytes.toString('latin1', at, at + 4) === tag) return { offset: bytes.readUInt32BE(at + 8), length: bytes.readUInt32BE(at + 12) };
  }
  throw new Error(`no ${tag}`);
}
