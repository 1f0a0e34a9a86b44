import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCanvas } from '@napi-rs/canvas';
import fc from 'fast-check';
import LineBreaker from 'linebreak';
import { bidiAlgorithm } from './skia.ts';
import { FontRegistry } from './font-registry.ts';
import { layoutRichText, paragraphLevels, staysOneLine, type SpanStyle, type StyledText } from './layout-rich-text.ts';
import { drawLayout } from './draw-layout.ts';

const fonts = new FontRegistry();
const style = (over: Partial<SpanStyle> = {}): SpanStyle => ({
  font: fonts.resolveFont({ size: 40 }), lineHeight: 1.2, letterSpacing: 0, color: '#ffffff', ...over,
});
const plain = (text: string): StyledText[] => [{ text, style: style() }];

test('lines, words and clusters tile the text in reading order, with boxes left to right', () => {
  const l = layoutRichText(plain('Hello big world\nagain'), { maxWidth: 2000, align: 'left' });
  assert.deepEqual(l.lines.map((x) => x.words.map((w) => w.text)), [['Hello', 'big', 'world'], ['again']]);
  const [first] = l.lines;
  assert.equal(first.box.y, 0);
  assert.equal(l.lines[1].box.y, 48, 'line height 1.2 × 40');
  assert.equal(l.height, 96);
  // Clusters: one per letter (and space), each starting where the previous ended.
  const cs = first.clusters;
  assert.equal(cs.map((c) => c.text).join(''), 'Hello big world');
  cs.slice(1).forEach((c, i) => assert.ok(Math.abs(c.box.x - (cs[i].box.x + cs[i].box.width)) < 0.5, `cluster ${i + 1} follows ${i}`));
  assert.deepEqual(cs.map((c) => c.order), cs.map((_, i) => i), 'LTR: visual order is reading order');
  assert.deepEqual(l.lines.flatMap((x) => x.words.map((w) => w.order)), [0, 1, 2, 3]);
  for (const w of first.words) {
    assert.equal(w.box.x, w.clusters[0].box.x);
    assert.ok(Math.abs(w.box.x + w.box.width - (w.clusters.at(-1)!.box.x + w.clusters.at(-1)!.box.width)) < 1e-6);
  }
});

test('grapheme clusters stay whole: an accent with its letter, a family emoji, a flag', () => {
  const l = layoutRichText(plain('e\u0301 👨‍👩‍👧 🇫🇷'), { maxWidth: 2000 });
  assert.deepEqual(l.lines[0].clusters.map((c) => c.text), ['e\u0301', ' ', '👨‍👩‍👧', ' ', '🇫🇷']);
});

test('Arabic: the first logical word is the rightmost, clusters are read right to left', () => {
  const l = layoutRichText(plain('مرحبا بالعالم'), { maxWidth: 2000 });
  const [line] = l.lines;
  assert.deepEqual(line.words.map((w) => w.text), ['بالعالم', 'مرحبا'], 'visual order, left to right');
  assert.deepEqual(line.words.map((w) => w.order), [1, 0]);
  assert.ok(line.runs.every((r) => r.rtl));
  const firstRead = line.clusters.find((c) => c.order === 0)!;
  assert.equal(firstRead.text, 'م');
  assert.ok(line.clusters.every((c) => c.box.x <= firstRead.box.x), 'the first letter read is at the right end');
});

test('mixed direction: an English word inside Arabic keeps its own left-to-right order', () => {
  const l = layoutRichText(plain('قال hello world لي'), { maxWidth: 2000 });
  const [line] = l.lines;
  assert.deepEqual(line.words.map((w) => w.text), ['لي', 'hello', 'world', 'قال']);
  const ltr = line.runs.filter((r) => !r.rtl);
  assert.ok(ltr.some((r) => r.text.includes('hello world')), JSON.stringify(line.runs.map((r) => r.text)));
});

test('spans: runs keep their span and style; sizes set the line height', () => {
  const big = style({ font: fonts.resolveFont({ size: 80 }), color: '#ff0000' });
  const l = layoutRichText([{ text: 'Only ', style: style() }, { text: '$9', style: big }], { maxWidth: 2000 });
  const [line] = l.lines;
  assert.deepEqual(line.runs.map((r) => [r.text, r.span]), [['Only ', 0], ['$9', 1]]);
  assert.equal(line.box.height, 96, 'the tallest span sets the line: 1.2 × 80');
  assert.equal(line.runs[0].baseline, line.runs[1].baseline, 'one baseline');
});

test('spans in other fonts: Arabic letters at the boundary get joiners, Latin runs are measured as before', () => {
  const bold = style({ font: fonts.resolveFont({ size: 40, weight: 'bold' }) });
  const canvas = createCanvas(1, 1).getContext('2d');
  const alone = (text: string, s: SpanStyle, rtl = false) => {
    canvas.font = s.font.css;
    canvas.direction = rtl ? 'rtl' : 'ltr';
    return canvas.measureText(text).width;
  };
  const arabic = layoutRichText([{ text: 'ببب', style: style() }, { text: 'بب', style: bold }], { maxWidth: 2000 });
  assert.deepEqual(arabic.lines[0].runs.map((r) => [r.text, r.drawn]), [['بب', '\u200Dبب'], ['ببب', 'ببب\u200D']], 'visual order: the second span is on the left');
  const [second, first] = arabic.lines[0].runs;
  assert.equal(first.width, alone('ببب\u200D', style(), true));
  assert.ok(first.width < alone('ببب', style(), true) - 10, 'the first span ends in a joined (medial) form, narrower than its final form');
  assert.equal(second.width, alone('\u200Dبب', bold, true));
  // Alef never joins the letter after it: no joiner there.
  const alef = layoutRichText([{ text: 'با', style: style() }, { text: 'بب', style: bold }], { maxWidth: 2000 });
  assert.ok(alef.lines[0].runs.every((r) => r.drawn === undefined));
  // Letter pairs at the boundary: which join (beh, lam, seen, tatweel, a letter with a haraka) and
  // which never do (after alef, reh, dal, waw, teh marbuta, hamza; before hamza).
  const cases: [string, string, boolean][] = [['ب', 'ب', true], ['ب', 'ا', true], ['ل', 'ا', true], ['س', 'م', true], ['ـ', 'ب', true], ['بَ', 'ب', true],
    ['ا', 'ب', false], ['ر', 'ب', false], ['د', 'ب', false], ['و', 'ب', false], ['ة', 'ب', false], ['ب', 'ء', false], ['ء', 'ب', false]];
  for (const [a, b, joins] of cases) {
    const l = layoutRichText([{ text: `ب${a}`, style: style() }, { text: `${b}ب`, style: bold }], { maxWidth: 2000 });
    assert.equal(l.lines[0].runs.some((r) => r.drawn !== undefined), joins, `${a}|${b}`);
  }
  const latin = layoutRichText([{ text: 'Hel', style: style() }, { text: 'lo', style: bold }], { maxWidth: 2000 });
  assert.deepEqual(latin.lines[0].runs.map((r) => [r.drawn, r.width]), [[undefined, alone('Hel', style())], [undefined, alone('lo', bold)]]);
});

test('wrapping: a word wider than the line alone is broken between clusters and said so', () => {
  const narrow = layoutRichText(plain('Incomprehensibilities'), { maxWidth: 120 });
  assert.ok(narrow.lines.length > 1);
  assert.equal(narrow.brokeWord, true);
  const fine = layoutRichText(plain('a b c d e f g'), { maxWidth: 60 });
  assert.equal(fine.brokeWord, false);
  for (const line of fine.lines) assert.ok(line.box.width <= 60.01);
});

test('a paragraph kept on one line without the line breaker is one the greedy wrap would keep whole', () => {
  // staysOneLine stands for the greedy wrap over linebreak's breaks when it says yes: then every
  // break linebreak offers must fit from the line's start, and none may be forced before the end.
  // `fits` is any predicate here (measuring is not monotonic in general: kerning, joining forms).
  let kept = 0;
  const chars = fc.constantFrom('a', 'é', ' ', '-', '\u00ad', '\u200b', '\u0301', '👍🏽', '🇫🇷', '\u200d', 'क्ष', '中', '文', 'ش', 'ل', '1', ',', '(', '\u00a0', '\v', '\f', '\u0085', '\ud800', '\udc00');
  fc.assert(fc.property(fc.array(chars, { maxLength: 14 }).map((a) => a.join('')), fc.array(fc.integer({ min: 0, max: 19 }).map((n) => n > 0), { minLength: 64, maxLength: 64 }), (para, table) => {
    const fits = (a: number, b: number) => a === 0 && (table[b] ?? true);
    if (!staysOneLine(para, fits)) return;
    kept++;
    const breaker = new LineBreaker(para);
    for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
      assert.ok(fits(0, bk.position), `break at ${bk.position} of ${JSON.stringify(para)} does not fit`);
      assert.ok(!bk.required || bk.position >= para.length, `forced break at ${bk.position} of ${JSON.stringify(para)}`);
    }
  }), { numRuns: 5_000 });
  assert.ok(kept > 500, `only ${kept} paragraphs kept whole: the property was hardly tried`);
  // Through the layout: a title that fits is one line, with or without the check's shortcut.
  assert.equal(layoutRichText(plain('Hello from Montage'), { maxWidth: 2000 }).lines.length, 1);
  assert.equal(layoutRichText(plain('Hello\vfrom Montage'), { maxWidth: 2000 }).lines.length, 2);
});

test('text below U+0590 gets bidi-js\'s levels (all 0) without it; other text gets bidi-js\'s own', () => {
  const bidi = bidiAlgorithm();
  for (let cp = 0; cp < 0x590; cp++) assert.doesNotMatch(bidi.getBidiCharTypeName(String.fromCharCode(cp)), /^(R|AL|AN|LRE|RLE|LRO|RLO|PDF|LRI|RLI|FSI|PDI)$/, `U+${cp.toString(16)}`);
  const below = fc.integer({ min: 0, max: 0x58f }).map((n) => String.fromCharCode(n));
  const mixed = fc.constantFrom('a', ' ', '1', '(', ')', '\u0300', 'ش', '١', 'א', '\u202b', '\u2067', '\u2069', '.', '\t', '\u001c');
  fc.assert(fc.property(fc.oneof(fc.string({ unit: below, maxLength: 24 }), fc.string({ unit: mixed, maxLength: 24 })), (para) => {
    const ours = paragraphLevels(para);
    const theirs = bidi.getEmbeddingLevels(para);
    assert.deepEqual([...ours.levels], [...theirs.levels], JSON.stringify(para));
    if (ours.bidi === undefined) {
      assert.ok(theirs.paragraphs.every((p) => p.level === 0));
      assert.deepEqual(bidi.getReorderSegments(para, theirs), [], 'levels all 0 reorder nothing');
    }
  }), { numRuns: 3_000 });
});

test('drawLayout with unit states: a word at alpha 0 is not drawn, a recoloured one is', () => {
  const l = layoutRichText(plain('AAA BBB CCC'), { maxWidth: 2000, align: 'left' });
  const canvas = createCanvas(Math.ceil(l.width), Math.ceil(l.height));
  const ctx = canvas.getContext('2d');
  drawLayout(ctx, l, { by: 'word', unitState: (u) => (u.kind === 'word' && u.word.order === 1 ? { alpha: 0 } : u.kind === 'word' && u.word.order === 2 ? { color: '#ff0000' } : undefined) });
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const inBox = (b: { x: number; width: number }, pred: (r: number, g: number, a: number) => boolean) => {
    let n = 0;
    for (let y = 0; y < canvas.height; y++) for (let x = Math.ceil(b.x); x < Math.floor(b.x + b.width); x++) {
      const i = 4 * (y * canvas.width + x);
      if (pred(data[i], data[i + 1], data[i + 3])) n++;
    }
    return n;
  };
  const [a, b, c] = l.lines[0].words;
  assert.ok(inBox(a.box, (r, g, al) => al > 200 && r > 200 && g > 200) > 100, 'first word drawn white');
  assert.equal(inBox(b.box, (_r, _g, al) => al > 0), 0, 'hidden word: nothing drawn');
  assert.ok(inBox(c.box, (r, g, al) => al > 200 && r > 200 && g < 60) > 100, 'third word red');
});
