/**
 * Every script with no `fonts` entry: one render (a PNG still) holds a row per sample, each a text
 * clip at its own height; each test reads its row. No tofu: a row's ink differs from that of the
 * same number of characters that no font has. Shaping: Arabic letters join (a joined word is much
 * narrower than its letters drawn alone), Devanagari forms the conjunct क्ष. Order: the first
 * logical word of an Arabic line lies at its right end; a word in two coloured spans still joins,
 * and so does one whose spans change the font, weight or size (but not after a letter that never
 * joins the next, such as alef).
 * Colour emoji come out in colour.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodePicture, extentOf, isColour, luma, type Picture, type Rgb } from '../support/decoded-pictures.ts';

const h = createRenderHarness('text-scripts');
after(() => h.dispose());

const ROW = 60;
const W = 480;
const TOFU = '\u{10FFFD}';
const ROWS = {
  greekCyrillic: 'Γειά σου Привет',
  arabicOrder: [{ text: 'مرحبا', font: { color: '#ff0000' } }, { text: ' بالعالم', font: { color: '#00ff00' } }],
  arabicJoined: 'ببببب',
  arabicAlone: 'ب',
  arabicSpans: [{ text: 'ببب', font: { color: '#ff0000' } }, { text: 'بب', font: { color: '#00ff00' } }],
  // The same word with a span boundary that changes the font (its Arabic letters fall back to the
  // same face), the weight, or both the colour and the size.
  arabicFamilySpans: [{ text: 'ببب' }, { text: 'بب', font: { family: 'DejaVu Serif' } }],
  arabicBold: [{ text: 'ببببب', font: { weight: 'bold' } }],
  arabicWeightSpans: [{ text: 'ببب' }, { text: 'بب', font: { weight: 'bold' } }],
  arabicSizeSpans: [{ text: 'ببب', font: { color: '#ff0000' } }, { text: 'بب', font: { color: '#00ff00', size: 44 } }],
  arabicAlefSpans: [{ text: 'با' }, { text: 'بب', font: { family: 'DejaVu Serif' } }],
  arabicAlefBeh: 'بابب',
  devanagari: 'नमस्ते दुनिया',
  conjunct: 'क्ष',
  halant: 'क्',
  ssa: 'ष',
  hebrew: 'שלום עולם',
  thai: 'สวัสดีชาวโลก',
  chinese: '你好世界',
  japanese: 'こんにちは世界',
  korean: '안녕하세요',
  emoji: '🟥🚀',
  tofu4: TOFU.repeat(4),
  tofu5: TOFU.repeat(5),
  tofu6: TOFU.repeat(6),
  tofu7: TOFU.repeat(7),
} as const;
const NAMES = Object.keys(ROWS) as (keyof typeof ROWS)[];
let picture: Picture;

before(async () => {
  const height = NAMES.length * ROW;
  const out = await h.render('scripts', {
    output: { width: W, height, format: 'png' }, background: '#000000',
    tracks: NAMES.map((name, i) => ({
      clips: [{ asset: { type: 'text', text: ROWS[name], font: { size: 36 }, align: 'left' }, start: 0, length: 1, position: 'topLeft', offset: { x: 0.02, y: (i * ROW + 6) / height } }],
    })),
  });
  picture = await decodePicture(out.video.path);
});

const region = (name: keyof typeof ROWS) => ({ x: 0, y: NAMES.indexOf(name) * ROW, w: W, h: ROW });
const lit = (c: Rgb) => luma(c) > 60 || Math.max(...c) > 120;
const ink = (name: keyof typeof ROWS, match: (c: Rgb) => boolean = lit) => {
  const box = extentOf(picture, match, region(name));
  assert.ok(box, `${name}: something is drawn`);
  return box;
};

/** The row's ink as a w×h 0/1 grid resampled to `cols` columns, for comparing shapes. */
const shape = (name: keyof typeof ROWS, cols = 64): number[] => {
  const b = ink(name);
  const out: number[] = [];
  for (let j = 0; j < 24; j++) for (let i = 0; i < cols; i++) {
    const x = Math.min(b.x1, Math.round(b.x0 + (i / (cols - 1)) * (b.x1 - b.x0)));
    const y = Math.min(b.y1, Math.round(b.y0 + (j / 23) * (b.y1 - b.y0)));
    const k = 3 * (y * picture.width + x);
    out.push(lit([picture.data[k], picture.data[k + 1], picture.data[k + 2]]) ? 1 : 0);
  }
  return out;
};
const difference = (a: number[], b: number[]) => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0) / a.length;
const TOFU_ROWS = ['tofu4', 'tofu5', 'tofu6', 'tofu7'] as const;

describe('every script renders with no fonts entry', () => {
  const samples = ['greekCyrillic', 'arabicJoined', 'devanagari', 'hebrew', 'thai', 'chinese', 'japanese', 'korean', 'emoji'] as const;
  for (const name of samples) {
    test(`${name}: "${String(ROWS[name])}" is drawn with real glyphs, not missing-glyph boxes`, () => {
      const s = shape(name);
      for (const t of TOFU_ROWS) {
        const d = difference(s, shape(t));
        assert.ok(d > 0.2, `${name} differs from a row of ${t.slice(4)} missing-glyph boxes in only ${(d * 100).toFixed(1)} % of its ink grid`);
      }
    });
  }

  test('Arabic is right to left: the first logical word (red) lies right of the second (green)', () => {
    const red = ink('arabicOrder', (c) => isColour(c, '#ff0000', 90));
    const green = ink('arabicOrder', (c) => isColour(c, '#00ff00', 90));
    assert.ok(red.x0 > green.x1, `red ${red.x0}–${red.x1}, green ${green.x0}–${green.x1}`);
  });

  test('Arabic letters join: five joined behs are far narrower than five drawn alone', () => {
    const joined = ink('arabicJoined').width;
    const alone = ink('arabicAlone').width;
    assert.ok(joined < alone * 5 * 0.6, `joined ${joined} px, one alone ${alone} px`);
  });

  test('Arabic joins across spans: a word whose letters are in two colours is as narrow as the word in one', () => {
    const joined = ink('arabicJoined').width;
    const split = ink('arabicSpans').width;
    assert.ok(Math.abs(split - joined) <= 3, `in two spans ${split} px, in one ${joined} px`);
    const red = ink('arabicSpans', (c) => isColour(c, '#ff0000', 90));
    const green = ink('arabicSpans', (c) => isColour(c, '#00ff00', 90));
    assert.ok(red.x0 > green.x0 && red.x1 > green.x1, `the first span (red ${red.x0}–${red.x1}) reads first, at the right of the second (green ${green.x0}–${green.x1})`);
    // The colours meet where the letters do: three joined behs (red) are narrower than the two
    // after them (green), whose last is the wide final form.
    assert.ok(red.width < green.width, `red ${red.width} px, green ${green.width} px`);
  });

  test('Arabic joins across spans that change the font: the word is drawn as it is in one span', () => {
    const one = ink('arabicJoined');
    const split = ink('arabicFamilySpans');
    const d = difference(shape('arabicFamilySpans'), shape('arabicJoined'));
    assert.ok(Math.abs(split.width - one.width) <= 1 && d < 0.03, `in two fonts ${split.width} px, in one ${one.width} px; ${(d * 100).toFixed(1)} % of the ink grid differs`);
  });

  test('Arabic joins across spans that change the weight: as wide as the word between all regular and all bold', () => {
    const [regular, bold, split] = [ink('arabicJoined').width, ink('arabicBold').width, ink('arabicWeightSpans').width];
    assert.ok(split >= regular - 1 && split <= bold + 1, `regular ${regular} px ≤ split ${split} px ≤ bold ${bold} px`);
  });

  test('Arabic joins across spans that change the size: each part has its joined letters only', () => {
    const red = ink('arabicSizeSpans', (c) => isColour(c, '#ff0000', 90));
    const green = ink('arabicSizeSpans', (c) => isColour(c, '#00ff00', 90));
    // Three joined behs (initial and medial forms) are far narrower than three drawn as a word of their own.
    const joined = ink('arabicJoined').width;
    assert.ok(red.width < joined * 0.5, `the first three letters ${red.width} px, the whole word in one span ${joined} px`);
    assert.ok(red.x0 <= green.x1 + 1, `the parts meet: red ${red.x0}–${red.x1}, green ${green.x0}–${green.x1}`);
  });

  test('a letter that does not join the next (alef) stays apart across a font change', () => {
    const d = difference(shape('arabicAlefSpans'), shape('arabicAlefBeh'));
    assert.ok(Math.abs(ink('arabicAlefSpans').width - ink('arabicAlefBeh').width) <= 1 && d < 0.03, `${(d * 100).toFixed(1)} % of the ink grid differs`);
  });

  test('Devanagari forms the conjunct क्ष instead of क् followed by ष', () => {
    const conjunct = ink('conjunct').width;
    const parts = ink('halant').width + ink('ssa').width;
    assert.ok(conjunct < parts * 0.8, `conjunct ${conjunct} px, parts ${parts} px`);
  });

  test('emoji are drawn in colour', () => {
    const red = extentOf(picture, (c) => c[0] > 180 && c[1] < 90 && c[2] < 90, region('emoji'));
    assert.ok(red && red.count > 300, `${red?.count ?? 0} red pixels`);
    const blueish = extentOf(picture, (c) => c[2] > c[0] + 40, region('emoji'));
    assert.ok(blueish && blueish.count > 20, `${blueish?.count ?? 0} blue pixels (the rocket's window and flame)`);
  });
});
