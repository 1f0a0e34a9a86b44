/**
 * The 1.1 text fields, rendered as stills and measured: spans, font family lists, `font.style`,
 * `letterSpacing`, `gradient`, `height` + `verticalAlign`, `shrink`, `transform`, rounded
 * backgrounds; and the bad input and warnings that come with them.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodePicture, extentOf, isColour, luma, pixel, regionMean, type Picture, type Rgb } from '../support/decoded-pictures.ts';
import { expectNear } from '../support/picture-asserts.ts';
import { isMontageError } from '../../src/errors/registry.ts';
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const h = createRenderHarness('text-styling');
after(() => h.dispose());

const W = TINY.width;
const HT = TINY.height;
const comp = (asset: object, extra: { merge?: object } = {}) => ({
  output: { ...TINY, format: 'png' }, background: '#000000', ...extra,
  tracks: [{ clips: [{ asset: { type: 'text', ...asset }, start: 0, length: 1 }] }],
});
const text = async (name: string, asset: object, merge?: Record<string, string>): Promise<Picture> =>
  decodePicture((await h.render(name, comp(asset), { merge })).video.path);
const lit = (c: Rgb) => luma(c) > 100;
const ink = (p: Picture, match: (c: Rgb) => boolean = lit, region?: { x: number; y: number; w: number; h: number }) => {
  const box = extentOf(p, match, region);
  assert.ok(box, 'some text is drawn');
  return box;
};
/** Vertical runs of rows holding ink: one per line of text. */
const lines = (p: Picture) => {
  const runs: Array<{ top: number; bottom: number }> = [];
  for (let y = 0; y < p.height; y++) {
    const has = extentOf(p, lit, { x: 0, y, w: p.width, h: 1 }) !== undefined;
    const last = runs[runs.length - 1];
    if (has && last && last.bottom === y - 1) last.bottom = y;
    else if (has) runs.push({ top: y, bottom: y });
  }
  return runs;
};
const problemsOf = (asset: object): { pointer: string; detail: string }[] => {
  try {
    h.engine.validate(comp(asset));
    return [];
  } catch (e) {
    assert.ok(isMontageError(e), String(e));
    return [...e.problems];
  }
};

describe('spans', () => {
  test("a span's colour covers only its own text; the other spans keep the asset's", async () => {
    const p = await text('spans-colour', { text: [{ text: 'HHH ' }, { text: 'HHH', font: { color: '#ff0000' } }], font: { size: 40 } });
    const red = ink(p, (c) => isColour(c, '#ff0000', 60));
    const white = ink(p, (c) => isColour(c, '#ffffff', 40));
    assert.ok(white.x1 < red.x0, `white ${white.x0}–${white.x1} before red ${red.x0}–${red.x1}`);
    assert.ok(red.count > 300 && white.count > 300, `${red.count} red, ${white.count} white pixels`);
  });

  test("a span's size and weight apply to that span only, on one line", async () => {
    const p = await text('spans-size', { text: [{ text: 'H' }, { text: 'H', font: { size: 80, color: '#00ff00', weight: 'bold' } }], font: { size: 40 } });
    const small = ink(p, (c) => isColour(c, '#ffffff', 40));
    const big = ink(p, (c) => isColour(c, '#00ff00', 60));
    expectNear([small.height, big.height], [29, 58], 'cap heights (0.73 em)', 2);
    expectNear([small.y1], [big.y1], 'one shared baseline', 1.5);
  });

  test('a span with its own background gets a box behind its text only', async () => {
    const p = await text('spans-background', { text: [{ text: 'AB ' }, { text: 'CD', background: '#0000ff' }], font: { size: 40 } });
    const blue = ink(p, (c) => isColour(c, '#0000ff', 50));
    const white = ink(p, (c) => isColour(c, '#ffffff', 60));
    assert.ok(blue.x0 > white.x0 + 40, `blue box ${blue.x0}–${blue.x1} starts after the first span (${white.x0})`);
  });

  test('a span with no text is refused at its pointer', () => {
    const problems = problemsOf({ text: [{ text: 'a' }, { text: '' }] });
    assert.deepEqual(problems.map((p) => p.pointer), ['/tracks/0/clips/0/asset/text/1/text']);
    assert.match(problems[0].detail, /remove the span/);
  });
});

describe('font family lists and fallback', () => {
  test('"DejaVu Sans, Noto Color Emoji" is accepted and draws the emoji in colour', async () => {
    const p = await text('family-list', { text: 'Hi 🟥', font: { size: 40, family: 'DejaVu Sans, Noto Color Emoji' } });
    assert.ok(ink(p, (c) => c[0] > 180 && c[1] < 100 && c[2] < 100).count > 300, 'red emoji pixels');
  });

  test('"Noto Color Emoji" alone sets Latin letters in Montage\'s fallback (DejaVu Sans), not a host serif', async () => {
    const viaEmoji = ink(await text('family-emoji-only', { text: 'Hiiii', font: { size: 40, family: 'Noto Color Emoji' } }));
    const dejavu = ink(await text('family-dejavu', { text: 'Hiiii', font: { size: 40 } }));
    assert.equal(viaEmoji.width, dejavu.width);
    assert.equal(viaEmoji.count, dejavu.count);
  });

  test('every name of a list must exist: a typo is refused with a suggestion', () => {
    const problems = problemsOf({ text: 'x', font: { family: 'DejaVu Sans, Noto Colr Emoji' } });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].pointer, '/tracks/0/clips/0/asset/font/family');
    assert.match(problems[0].detail, /"Noto Colr Emoji" is not available: did you mean "Noto Color Emoji"\?/);
  });

  test('with a declared font, the render itself reports a character no font has', async () => {
    copyFileSync(join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSansMono.ttf'), join(h.dir, 'brand.ttf'));
    const raw = { ...comp({ text: 'ok \u{10FFFD}', font: { family: 'Brand' } }), fonts: [{ family: 'Brand', src: 'brand.ttf' }] };
    assert.deepEqual(h.engine.validate(raw).summary.warnings, [], 'not knowable before the font is fetched');
    const out = await h.render('declared-missing', raw);
    assert.ok(out.summary.warnings.some((w) => w.pointer === '/tracks/0/clips/0/asset/text' && /U\+10FFFD/.test(w.detail)), JSON.stringify(out.summary.warnings));
  });

  test('a character no font has is a warning naming it, in validate', () => {
    const { summary } = h.engine.validate(comp({ text: 'ok \u{10FFFD}' }));
    const w = summary.warnings.find((x) => x.pointer === '/tracks/0/clips/0/asset/text');
    assert.ok(w, JSON.stringify(summary.warnings));
    assert.match(w.detail, /U\+10FFFD/);
    assert.deepEqual(h.engine.validate(comp({ text: 'مرحبا 你好 🚀 नमस्ते' })).summary.warnings, [], 'covered scripts give no warning');
  });
});

describe('font style, letter spacing and gradient', () => {
  test('italic slants the glyphs: the top of an I lies right of its bottom', async () => {
    const slant = (p: Picture) => {
      const b = ink(p);
      const top = ink(p, lit, { x: 0, y: b.y0, w: W, h: 4 });
      const bottom = ink(p, lit, { x: 0, y: b.y1 - 3, w: W, h: 4 });
      return top.cx - bottom.cx;
    };
    const upright = slant(await text('style-normal', { text: 'I', font: { size: 80 } }));
    const italic = slant(await text('style-italic', { text: 'I', font: { size: 80, style: 'italic' } }));
    expectNear([upright], [0], 'upright slant', 1);
    assert.ok(italic > 8, `italic top is ${italic} px right of its bottom`);
  });

  test('letterSpacing adds that many pixels after each letter, and may be negative', async () => {
    const width = async (letterSpacing: number) => ink(await text(`spacing-${letterSpacing}`, { text: 'HHHHH', font: { size: 30, letterSpacing } })).width;
    const [none, wide, tight] = [await width(0), await width(10), await width(-4)];
    expectNear([wide - none, tight - none], [40, -16], 'ink width change over 4 gaps', 2);
  });

  test('gradient fills glyphs from the first colour to the last (180° = top to bottom; 90° = left to right)', async () => {
    const box = { text: '█████', font: { size: 60 } };
    const down = await text('gradient-180', { ...box, font: { ...box.font, gradient: { colors: ['#ff0000', '#0000ff'] } } });
    const b = ink(down, (c) => Math.max(...c) > 100);
    const top = regionMean(down, Math.round(b.cx) - 4, b.y0 + 2, 8, 3);
    const bottom = regionMean(down, Math.round(b.cx) - 4, b.y1 - 4, 8, 3);
    assert.ok(top[0] > top[2] + 80 && bottom[2] > bottom[0] + 80, `top ${top}, bottom ${bottom}`);
    const across = await text('gradient-90', { ...box, font: { ...box.font, gradient: { colors: ['#ff0000', '#0000ff'], angle: 90 } } });
    const a = ink(across, (c) => Math.max(...c) > 100);
    const left = regionMean(across, a.x0 + 2, Math.round(a.cy), 3, 3);
    const right = regionMean(across, a.x1 - 4, Math.round(a.cy), 3, 3);
    assert.ok(left[0] > left[2] + 80 && right[2] > right[0] + 80, `left ${left}, right ${right}`);
  });

  test('a gradient with one colour is refused, saying to use font.color', () => {
    const problems = problemsOf({ text: 'x', font: { gradient: { colors: ['#ff0000'] } } });
    assert.deepEqual(problems.map((p) => p.pointer), ['/tracks/0/clips/0/asset/font/gradient/colors']);
    assert.match(problems[0].detail, /font\.color/);
  });
});

describe('box: height, verticalAlign, shrink', () => {
  test('height fixes the box; verticalAlign puts the lines at its top, middle or bottom', async () => {
    const at = async (verticalAlign: string) => {
      const p = await text(`valign-${verticalAlign}`, { text: 'H', font: { size: 30 }, height: 0.8, verticalAlign, background: '#0000ff' });
      const bg = ink(p, (c) => isColour(c, '#0000ff', 60));
      const glyph = ink(p, (c) => isColour(c, '#ffffff', 60));
      return { bg, top: glyph.y0 - bg.y0, bottom: bg.y1 - glyph.y1 };
    };
    const [top, middle, bottom] = [await at('top'), await at('middle'), await at('bottom')];
    expectNear([top.bg.height], [0.8 * HT], 'box height', 1);
    assert.ok(top.top < 10 && top.bottom > 100, `top: ${top.top} px above, ${top.bottom} below`);
    assert.ok(bottom.bottom < 10 && bottom.top > 100, `bottom: ${bottom.top} px above, ${bottom.bottom} below`);
    expectNear([middle.top], [middle.bottom], 'middle: equal space above and below', 4);
  });

  test('shrink: a 40-character merge value fits the box that a 5-character one fills', async () => {
    const asset = { text: '{{NAME}}', font: { size: 40 }, width: 0.5, height: 0.3, shrink: true, background: '#0000ff' };
    const short = await text('shrink-5', asset, { NAME: 'Brand' });
    const long = await text('shrink-40', asset, { NAME: 'Extraordinary summer collection for you' });
    const boxOf = (p: Picture) => ink(p, (c) => isColour(c, '#0000ff', 60));
    const glyphsOf = (p: Picture) => ink(p, (c) => isColour(c, '#ffffff', 80));
    const [sb, lb] = [boxOf(short), boxOf(long)];
    const [sg, lg] = [glyphsOf(short), glyphsOf(long)];
    assert.ok(sg.width > 80, `the 5-character value is drawn at full size (${sg.width} px)`);
    assert.ok(lb.width <= 0.5 * W + 1 && lb.height <= 0.3 * HT + 1, `long box ${lb.width}×${lb.height}`);
    assert.ok(lg.x0 >= lb.x0 && lg.x1 <= lb.x1 && lg.y0 >= lb.y0 && lg.y1 <= lb.y1, 'the long text stays inside its box');
    expectNear([lb.height], [sb.height], 'same box height', 1);
    // Unshrunk, the long value overflows the same box.
    const plain = await text('shrink-off', { ...asset, shrink: false }, { NAME: 'Extraordinary summer collection for you' });
    const pg = glyphsOf(plain);
    const pb = boxOf(plain);
    assert.ok(pg.y0 < pb.y0 || pg.y1 > pb.y1, 'without shrink the text overflows the box');
  });

  test('shrink never breaks inside a word, and stops at minSize', async () => {
    const word = { text: 'Incomprehensible', font: { size: 40 }, width: 0.5, shrink: true };
    const shrunk = await text('shrink-word', word);
    assert.equal(lines(shrunk).length, 1, 'the long word is shrunk onto one line, not broken');
    assert.ok(ink(shrunk).width <= 0.5 * W, `${ink(shrunk).width} px wide`);
    const out = await h.render('shrink-floor', comp({ ...word, minSize: 30 }));
    const rows = lines(await decodePicture(out.video.path));
    assert.ok(rows.length >= 2, 'at minSize 30 it still does not fit, so it wraps');
    assert.ok(rows[0].bottom - rows[0].top >= 21, `first line ${rows[0].bottom - rows[0].top + 1} px tall: drawn at 30, not smaller`);
    // Only layout knows it: the render (not validation) warns at minSize, with the fix.
    const warned = out.summary.warnings.filter((w) => w.pointer === '/tracks/0/clips/0/asset/minSize');
    assert.equal(warned.length, 1, JSON.stringify(out.summary.warnings));
    assert.match(warned[0]!.detail, /does not fit its box even shrunk to 30 px \(minSize\): a word is broken across lines; lower minSize/);
    assert.deepEqual((await h.render('shrink-fits', comp(word))).summary.warnings, [], 'no warning where shrinking fits');
  });
});

describe('transform', () => {
  for (const [transform, input, expected] of [
    ['uppercase', 'straße', 'STRASSE'],
    ['lowercase', 'ΣΟΦΟΣ', 'σοφος'],
    ['capitalize', 'hello wide world', 'Hello Wide World'],
    // Titlecase, as CSS: not the uppercase "DŽemal SSauer FIsh".
    ['capitalize', 'ǆemal ßauer ﬁsh', '\u01C5emal Ssauer Fish'],
  ] as const) {
    test(`${transform}: "${input}" is drawn as "${expected}"`, async () => {
      const a = await text(`transform-${transform}`, { text: input, font: { size: 30 }, transform });
      const b = await text(`transform-${transform}-expected`, { text: expected, font: { size: 30 } });
      const [ia, ib] = [ink(a), ink(b)];
      assert.deepEqual([ia.x0, ia.x1, ia.y0, ia.y1, ia.count], [ib.x0, ib.x1, ib.y0, ib.y1, ib.count]);
    });
  }
});

describe('rounded background', () => {
  test('{color, radius} rounds the corners: the corner is empty, the edge midpoints are filled', async () => {
    const p = await text('background-radius', { text: 'HHHH', font: { size: 30 }, padding: 16, background: { color: '#00ff00', radius: 20 } });
    const bg = ink(p, (c) => isColour(c, '#00ff00', 60));
    assert.ok(isColour(pixel(p, bg.x0 + 1, bg.y0 + 1), '#000000', 40), `corner ${pixel(p, bg.x0 + 1, bg.y0 + 1)}`);
    assert.ok(isColour(pixel(p, bg.cx, bg.y0 + 1), '#00ff00', 60), 'top edge midpoint');
    assert.ok(isColour(pixel(p, bg.x0 + 1, bg.cy), '#00ff00', 60), 'left edge midpoint');
    const square = await text('background-square', { text: 'HHHH', font: { size: 30 }, padding: 16, background: '#00ff00' });
    const sq = ink(square, (c) => isColour(c, '#00ff00', 60));
    assert.ok(isColour(pixel(square, sq.x0 + 1, sq.y0 + 1), '#00ff00', 60), 'a plain colour keeps square corners');
  });
});
