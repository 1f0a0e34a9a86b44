/**
 * Text assets and fonts, rendered as stills and measured by their ink: size in output pixels,
 * weight, family (bundled and declared in `fonts`), colour, line height, `\n`, wrapping width,
 * alignment, background box, padding, stroke and shadow.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodePicture, extentOf, isColour, luma, type Picture, type Rgb } from '../support/decoded-pictures.ts';
import { expectColour, expectNear } from '../support/picture-asserts.ts';
import { isMontageError } from '../../src/errors/registry.ts';
import { toWoff } from '../../src/render/raster/test-woff.ts';

const h = createRenderHarness('text');
after(() => h.dispose());

before(() => {
  // A font file to declare under a name of our own: the bundled monospace face, whose wide `i`
  // tells it apart from the default proportional sans-serif.
  const ttf = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSansMono.ttf');
  copyFileSync(ttf, join(h.dir, 'brand.ttf'));
  writeFileSync(join(h.dir, 'broken.ttf'), 'not a font at all');
  // The same file as a WOFF, and with its character map (cmap table) overwritten: Skia takes the
  // file but can map no character to a glyph, so the text would silently fall back to DejaVu Sans.
  const mono = readFileSync(ttf);
  writeFileSync(join(h.dir, 'brand.woff'), toWoff(mono));
  const damaged = Buffer.from(mono);
  for (let i = 0; i < damaged.readUInt16BE(4); i++) {
    const at = 12 + 16 * i;
    if (damaged.toString('latin1', at, at + 4) === 'cmap') damaged.fill(0xab, damaged.readUInt32BE(at + 8), damaged.readUInt32BE(at + 8) + damaged.readUInt32BE(at + 12));
  }
  writeFileSync(join(h.dir, 'no-cmap.ttf'), damaged);
});

const W = TINY.width;
const HT = TINY.height;
const text = async (name: string, asset: object, extra: { fonts?: object[]; clip?: object; output?: object } = {}): Promise<Picture> => {
  const out = await h.render(name, {
    output: { ...TINY, format: 'png', ...extra.output }, background: '#000000',
    ...(extra.fonts ? { fonts: extra.fonts } : {}),
    tracks: [{ clips: [{ asset: { type: 'text', ...asset }, start: 0, length: 1, ...extra.clip }] }],
  });
  return decodePicture(out.video.path);
};
const lit = (c: Rgb) => luma(c) > 100;
const ink = (p: Picture, match: (c: Rgb) => boolean = lit) => {
  const box = extentOf(p, match);
  assert.ok(box, 'some text is drawn');
  return box;
};
/** Vertical runs of rows holding ink: one per line of text. */
const lines = (p: Picture, match: (c: Rgb) => boolean = lit) => {
  const runs: Array<{ top: number; bottom: number }> = [];
  for (let y = 0; y < p.height; y++) {
    const has = extentOf(p, match, { x: 0, y, w: p.width, h: 1 }) !== undefined;
    const last = runs[runs.length - 1];
    if (has && last && last.bottom === y - 1) last.bottom = y;
    else if (has) runs.push({ top: y, bottom: y });
  }
  return runs;
};

describe('font', () => {
  test('size is in output pixels: a capital H of size 100 is 73 px tall (DejaVu Sans cap height 0.73 em)', async () => {
    const p = await text('size-100', { text: 'H', font: { size: 100 } }, { output: { height: 240 } });
    expectNear([ink(p).height], [73], 'cap height', 2);
  });

  test('size defaults to 48', async () => {
    const p = await text('size-default', { text: 'H' });
    expectNear([ink(p).height], [35], 'cap height of size 48', 1.5);
  });

  test('weight: bold lays down more ink than normal', async () => {
    const count = async (weight: string | number) => ink(await text(`weight-${weight}`, { text: 'Montage', font: { size: 40, weight } })).count;
    const [normal, bold] = [await count('normal'), await count(700)];
    assert.ok(bold > normal * 1.25, `bold ${bold} px of ink, normal ${normal}`);
  });

  test('color paints the glyphs; white is the default', async () => {
    const red = await text('colour-red', { text: 'HHH', font: { size: 60, color: '#ff0000' } });
    assert.ok(ink(red, (c) => isColour(c, '#ff0000', 30)).count > 500, 'red glyphs');
    assert.equal(extentOf(red, (c) => isColour(c, '#ffffff', 60)), undefined, 'no white');
    const plain = await text('colour-default', { text: 'HHH', font: { size: 60 } });
    assert.ok(ink(plain, (c) => isColour(c, '#ffffff', 30)).count > 500, 'white glyphs');
  });

  test('family: a bundled monospace sets "iiiiii" much wider than the default sans-serif', async () => {
    const sans = ink(await text('family-default', { text: 'iiiiii', font: { size: 40 } }));
    const mono = ink(await text('family-mono', { text: 'iiiiii', font: { size: 40, family: 'DejaVu Sans Mono' } }));
    assert.ok(mono.width > sans.width * 1.6, `mono ${mono.width} px wide, sans ${sans.width}`);
    const generic = ink(await text('family-generic', { text: 'iiiiii', font: { size: 40, family: 'monospace' } }));
    assert.equal(generic.width, mono.width, 'the generic name "monospace" is the bundled monospace');
  });

  test('lineHeight spaces lines by that multiple of the size', async () => {
    const gap = async (lineHeight: number) => {
      const [a, b] = lines(await text(`line-height-${lineHeight}`, { text: 'H\nH', font: { size: 30, lineHeight } }));
      return b.top - a.top;
    };
    expectNear([await gap(1.2), await gap(2)], [36, 60], 'distance between the lines', 1.5);
  });
});

describe('fonts (declared in the composition)', () => {
  test('a declared family is usable by name in text', async () => {
    const sans = ink(await text('brand-sans', { text: 'iiiiii', font: { size: 40 } }));
    const brand = ink(await text('brand', { text: 'iiiiii', font: { size: 40, family: 'Brand' } }, { fonts: [{ family: 'Brand', src: 'brand.ttf' }] }));
    assert.ok(brand.width > sans.width * 1.6, `Brand (a monospace file) ${brand.width} px wide, default ${sans.width}`);
  });

  test('names match case-insensitively', async () => {
    const sans = ink(await text('brand-case-sans', { text: 'iiiiii', font: { size: 40 } }));
    const p = await text('brand-case', { text: 'iiiiii', font: { size: 40, family: 'BRAND' } }, { fonts: [{ family: 'Brand', src: 'brand.ttf' }] });
    assert.ok(ink(p).width > sans.width * 1.6, `BRAND ${ink(p).width} px wide, default ${sans.width}`);
  });

  test('a family neither bundled nor declared is refused at validation, at its pointer', () => {
    assert.throws(() => h.engine.validate({ output: TINY, tracks: [{ clips: [{ asset: { type: 'text', text: 'x', font: { family: 'Nope' } }, start: 0, length: 1 }] }] }),
      (e: unknown) => isMontageError(e) && e.problems.some((p) => p.pointer === '/tracks/0/clips/0/asset/font/family'));
  });

  test('a file that is not a font fails the render with MONTAGE_E_FONT_UNREADABLE at /fonts/0/src', async () => {
    await assert.rejects(text('broken-font', { text: 'x', font: { family: 'Broken' } }, { fonts: [{ family: 'Broken', src: 'broken.ttf' }] }),
      (e: unknown) => isMontageError(e) && e.code === 'MONTAGE_E_FONT_UNREADABLE' && e.problems.some((p) => p.pointer === '/fonts/0/src')
        && /not a TTF, OTF, TTC, WOFF or WOFF2 font \(it begins "not a font at al"\); point src at a font file/.test(e.message));
  });

  test('a font whose character map is damaged fails the render at /fonts/0/src, naming the fix, instead of drawing in DejaVu Sans', async () => {
    await assert.rejects(text('no-cmap-font', { text: 'iiiiii', font: { family: 'Brand, DejaVu Sans' } }, { fonts: [{ family: 'Brand', src: 'no-cmap.ttf' }] }),
      (e: unknown) => isMontageError(e) && e.code === 'MONTAGE_E_FONT_UNREADABLE' && e.problems.some((p) => p.pointer === '/fonts/0/src')
        && /"Brand".*character map \(the "cmap" table\) is missing or damaged.*use an undamaged TTF/.test(e.message));
  });

  test('a declared WOFF font draws, and a character it lacks falls back (and one no font has is a warning)', async () => {
    const sans = ink(await text('woff-sans', { text: 'iiiiii', font: { size: 40 } }));
    const woff = ink(await text('woff', { text: 'iiiiii', font: { size: 40, family: 'Brand' } }, { fonts: [{ family: 'Brand', src: 'brand.woff' }] }));
    assert.ok(woff.width > sans.width * 1.6, `Brand (a monospace WOFF) ${woff.width} px wide, default ${sans.width}`);
    // The WOFF's character map is read (it used to count as covering everything): a character
    // that no font has is reported.
    const out = await h.render('woff-tofu', {
      output: { ...TINY, format: 'png' }, fonts: [{ family: 'Brand', src: 'brand.woff' }],
      tracks: [{ clips: [{ asset: { type: 'text', text: 'ii \u{10FFFD}', font: { family: 'Brand' } }, start: 0, length: 1 }] }],
    });
    assert.ok(out.summary.warnings.some((w) => w.pointer === '/tracks/0/clips/0/asset/text' && /U\+10FFFD/.test(w.detail)), JSON.stringify(out.summary.warnings));
  });
});

describe('layout of the text', () => {
  test('\\n breaks a line', async () => {
    assert.equal(lines(await text('newline', { text: 'AB\nCD', font: { size: 30 } })).length, 2);
    assert.equal(lines(await text('no-newline', { text: 'AB CD', font: { size: 30 } })).length, 1);
  });

  test('width: the text wraps within that fraction of the frame width', async () => {
    const words = 'word word word word'; // 256 px at size 24
    const wide = await text('width-default', { text: words, font: { size: 24 } });
    assert.equal(lines(wide).length, 1, 'fits on one line in 0.9 of the frame');
    const narrow = await text('width-narrow', { text: words, font: { size: 24 }, width: 0.3 });
    assert.ok(lines(narrow).length >= 3, `${lines(narrow).length} lines in 0.3 of the frame`);
    assert.ok(ink(narrow).width <= 0.3 * W, `${ink(narrow).width} px wide`);
  });

  for (const [align, edge] of [['left', 'x0'], ['right', 'x1'], ['center', 'cx']] as const) {
    test(`align ${align}: lines share their ${align === 'center' ? 'centre' : `${align} edge`}`, async () => {
      const p = await text(`align-${align}`, { text: 'HHHHHH\nH', font: { size: 30 }, align });
      const [a, b] = lines(p);
      const long = ink(p, (c) => lit(c));
      const first = extentOf(p, lit, { x: 0, y: a.top, w: W, h: a.bottom - a.top + 1 })!;
      const second = extentOf(p, lit, { x: 0, y: b.top, w: W, h: b.bottom - b.top + 1 })!;
      assert.equal(first.width, long.width, 'the first line is the long one');
      expectNear([second[edge]], [first[edge]], `the short line's ${edge}`, 1.5);
      assert.ok(Math.abs(second.cx - first.cx) > 20 || align === 'center', 'and it is not simply centred');
    });
  }

  test('align defaults to center', async () => {
    const p = await text('align-default', { text: 'HHHHHH\nH', font: { size: 30 } });
    const [a, b] = lines(p);
    const first = extentOf(p, lit, { x: 0, y: a.top, w: W, h: a.bottom - a.top + 1 })!;
    const second = extentOf(p, lit, { x: 0, y: b.top, w: W, h: b.bottom - b.top + 1 })!;
    expectNear([second.cx], [first.cx], 'centres', 1.5);
  });
});

describe('box, stroke and shadow', () => {
  const isBlue = (c: Rgb) => isColour(c, '#0000ff', 40);
  test('background: a box of that colour behind the text, as wide as the text', async () => {
    const p = await text('background', { text: 'HHHH', font: { size: 30 }, background: '#0000ff' });
    const box = ink(p, isBlue);
    const glyphs = ink(p, (c) => isColour(c, '#ffffff', 60));
    assert.ok(box.x0 <= glyphs.x0 && box.x1 >= glyphs.x1 && box.y0 <= glyphs.y0 && box.y1 >= glyphs.y1, 'the box holds the glyphs');
    assert.ok(box.width < 0.6 * W, `it ends where the words end: ${box.width} px`);
    expectNear([box.cx, box.cy], [160, 90], 'centred', 1.5);
  });

  test('padding grows the box by that many pixels on each side', async () => {
    const bare = ink(await text('padding-0', { text: 'HHHH', font: { size: 30 }, background: '#0000ff' }), isBlue);
    const padded = ink(await text('padding-15', { text: 'HHHH', font: { size: 30 }, background: '#0000ff', padding: 15 }), isBlue);
    expectNear([padded.width - bare.width, padded.height - bare.height], [30, 30], 'growth', 2);
  });

  test('stroke: an outline of the stroke colour around the glyphs', async () => {
    const p = await text('stroke', { text: 'HH', font: { size: 60 }, stroke: { color: '#ff0000', width: 4 } });
    const red = ink(p, (c) => isColour(c, '#ff0000', 50));
    const white = ink(p, (c) => isColour(c, '#ffffff', 50));
    assert.ok(red.count > 300, `${red.count} px of red outline`);
    assert.ok(red.x0 < white.x0 - 2 && red.y1 > white.y1 + 2, 'outside the white glyphs');
  });

  test('shadow: the glyphs cast a shadow of that colour, offset by x and y', async () => {
    const p = await text('shadow', { text: 'HH', font: { size: 60 }, shadow: { color: '#00ff00', blur: 0, x: 8, y: 6 } });
    const shadow = ink(p, (c) => c[1] > 150 && c[0] < 100);
    const glyphs = ink(p, (c) => isColour(c, '#ffffff', 50));
    expectNear([shadow.x1 - glyphs.x1, shadow.y1 - glyphs.y1], [8, 6], 'the shadow sticks out right and down', 1.5);
  });

  test('blur softens the shadow into a halo beyond the glyphs', async () => {
    const soft = await text('shadow-soft', { text: 'HH', font: { size: 60 }, shadow: { color: '#00ff00', blur: 12, x: 0, y: 0 } });
    const glyphs = ink(soft, (c) => isColour(c, '#ffffff', 50));
    const halo = ink(soft, (c) => c[1] > 25 && c[0] < 25);
    assert.ok(halo.x0 < glyphs.x0 - 3 && halo.x1 > glyphs.x1 + 3 && halo.y0 < glyphs.y0 - 3, 'green spreads past the glyphs on every side');
    const faint = extentOf(soft, (c) => c[1] > 25 && c[1] < 200 && c[0] < 25);
    assert.ok(faint && faint.count > 200, 'in shades that fade out, not a hard copy');
  });
});

test('text sits in the frame like any clip: position and offset', async () => {
  const p = await text('text-placed', { text: 'H', font: { size: 40 }, background: '#ff0000' }, { clip: { position: 'topRight', offset: { x: -0.1, y: 0.1 } } });
  const box = ink(p, (c) => isColour(c, '#ff0000', 40));
  // Within the 2 px that even-sided images and 4:2:0 overlay positions may take.
  expectNear([box.x1 + 1, box.y0], [W - 32, 18], 'the box corner', 2);
  expectColour(p, box.cx, HT - 10, '#000000', 'nothing at the bottom');
});
