/**
 * Word-level captions, rendered and decoded: from a Whisper verbose_json file and from an inline
 * word array; pages of at most `lines` lines; the spoken word in the highlight colour on exactly
 * the frames it is spoken; karaoke, background and scale highlights; SRT cues whose word times
 * are shared out by length; caption animation on each page; an unknown transcript refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, frameAt, isColour, luma, pixel, type Picture } from '../support/decoded-pictures.ts';

const h = createRenderHarness('word-captions');
after(() => h.dispose());

const FPS = 20;
const WORDS = [
  { text: 'One', start: 0.5, end: 0.8 }, { text: 'two', start: 0.8, end: 1.25 }, { text: 'three', start: 1.4, end: 1.7 },
  { text: 'four', start: 1.7, end: 2.0 }, { text: 'five', start: 2.0, end: 2.3 }, { text: 'six', start: 2.3, end: 2.6 },
  { text: 'seven', start: 2.6, end: 2.9 }, { text: 'eight', start: 2.9, end: 3.2 },
];
const YELLOW = '#ffd400';

before(() => {
  // What OpenAI's transcription API returns with response_format=verbose_json and word timestamps.
  writeFileSync(join(h.dir, 'whisper.json'), JSON.stringify({
    task: 'transcribe', language: 'english', duration: 3.4, text: WORDS.map((w) => w.text).join(' '),
    segments: [{ id: 0, seek: 0, start: 0.5, end: 3.2, text: ' One two three four five six seven eight', tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0.01 }],
    words: WORDS.map((w) => ({ word: ` ${w.text}`, start: w.start, end: w.end })),
  }));
  writeFileSync(join(h.dir, 'cues.srt'), '1\n00:00:00,500 --> 00:00:01,200\naaaa bb\n');
  writeFileSync(join(h.dir, 'notes.json'), JSON.stringify({ title: 'not a transcript' }));
});

const render = async (name: string, asset: object, clip: object = {}): Promise<Picture[]> => {
  const out = await h.render(name, {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 3.5 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 3.5 }] },
      { clips: [{ asset: { type: 'captions', font: { size: 20 }, ...asset }, start: 0, length: 3.5, ...clip }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  assert.equal(frames.length, 70);
  return frames;
};

const at = (frames: Picture[], t: number) => frameAt(frames, FPS, t);
const yellow = (p: Picture) => extentOf(p, (c) => isColour(c, YELLOW, 60));
const ink = (p: Picture) => extentOf(p, (c) => luma(c) > 128);
/** Rows of text in the picture: runs of pixel rows holding bright ink. */
const textRows = (p: Picture): number => {
  let rows = 0;
  let gap = 99;
  for (let y = 0; y < p.height; y++) {
    let on = false;
    for (let x = 0; x < p.width && !on; x++) on = luma(pixel(p, x, y)) > 128;
    if (on && gap > 3) rows++;
    gap = on ? 0 : gap + 1;
  }
  return rows;
};

describe('from a Whisper verbose_json file, highlight colour', () => {
  let frames: Picture[] = [];
  before(async () => { frames = await render('whisper', { src: 'whisper.json', lines: 1, width: 0.5, highlight: { style: 'color' } }); });

  test('the spoken word is in the highlight colour on exactly its frames (two words)', () => {
    assert.equal(ink(at(frames, 0.45)), undefined, 'nothing before the first word');
    assert.equal(yellow(at(frames, 0.45)), undefined);
    const a = [0.5, 0.75].map((t) => yellow(at(frames, t)));
    const b = [0.8, 1.2].map((t) => yellow(at(frames, t)));
    assert.ok(a[0] && a[1] && b[0] && b[1], 'yellow while "One" and while "two" is spoken');
    assert.equal(a[0].x0, a[1].x0, 'the same word from its first to its last frame');
    assert.ok(b[0].x0 > a[0].x1, `"two" lies right of "One" (${a[0].x0}–${a[0].x1} then ${b[0].x0}–${b[0].x1})`);
    for (const t of [1.25, 1.35]) {
      assert.equal(yellow(at(frames, t)), undefined, `no word spoken at ${t} s`);
      assert.ok(ink(at(frames, t)), `the page stays up over the short gap at ${t} s`);
    }
  });

  test('pages hold at most one line, and turn as the words go on', () => {
    const seen = new Set<string>();
    for (let n = 10; n < 64; n++) {
      const p = frames[n];
      assert.equal(textRows(p), 1, `one line at ${n / FPS} s`);
      const box = ink(p)!;
      seen.add(`${box.x0},${box.x1}`);
    }
    assert.ok(seen.size >= 3, `several pages: ${[...seen].join(' ')}`);
    assert.equal(ink(at(frames, 3.25)), undefined, 'gone after the last word');
  });
});

describe('from a word array', () => {
  test('two lines per page by default, karaoke fills the words as they are spoken', async () => {
    const frames = await render('karaoke', { words: WORDS, width: 0.5, highlight: { style: 'karaoke' } });
    assert.equal(textRows(at(frames, 0.6)), 2, 'two lines on the first page');
    const fill = [0.6, 0.9, 1.5].map((t) => yellow(at(frames, t))!);
    assert.ok(fill[0].count < fill[1].count && fill[1].count < fill[2].count, `the fill advances: ${fill.map((f) => f.count).join(' < ')}`);
    // Word by word at frame accuracy: "two" joins the fill on its first frame (0.8 s), not before.
    const [last, next] = [0.75, 0.8].map((t) => yellow(at(frames, t))!);
    assert.equal(last.x1, fill[0].x1, 'the fill holds while "One" is spoken');
    assert.ok(next.x1 > last.x1 + 10, `"two" fills on its first frame: right edge ${last.x1} → ${next.x1}`);
    assert.equal(next.x0, last.x0, 'the fill starts from the first word');
    const spokenSoFar = at(frames, 0.6);
    assert.ok(extentOf(spokenSoFar, (c) => isColour(c, '#ffffff', 40)), 'the words not yet spoken stay in the font colour');
  });

  test('background: a rounded box of the colour behind exactly the spoken word, on exactly its frames', async () => {
    const frames = await render('pill', { words: WORDS, lines: 1, width: 0.5, highlight: { style: 'background', background: '#0000ff' } });
    const blue = (t: number) => extentOf(at(frames, t), (c) => isColour(c, '#0000ff', 60));
    const white = (t: number, x0: number, x1: number) => extentOf(at(frames, t), (c) => luma(c) > 160, { x: x0, y: 0, w: x1 - x0 + 1, h: 180 });
    assert.equal(blue(0.45), undefined, 'no box before the first word');
    const one = [0.5, 0.75].map(blue);
    const two = [0.8, 1.2].map(blue);
    assert.ok(one[0] && one[1] && two[0] && two[1], 'a box behind "One" on its first and last frames, then behind "two" on its');
    assert.deepEqual([one[0].x0, one[0].x1], [one[1].x0, one[1].x1], 'the same box all the while "One" is spoken');
    assert.ok(two[0].x0 > one[0].x1 - 4, `behind the next word from its first frame (${one[0].x0}–${one[0].x1}, then ${two[0].x0}–${two[0].x1})`);
    assert.equal(blue(1.25), undefined, 'gone on the first frame after "two" ends');
    assert.equal(blue(1.3), undefined, 'no box while no word is spoken');
    // The box holds its word's ink and no other word's: white ink inside it, and ink beyond it.
    for (const [box, t] of [[one[0], 0.6], [two[0], 1.0]] as const) {
      const inside = white(t, box.x0, box.x1)!;
      assert.ok(inside && inside.x0 > box.x0 && inside.x1 < box.x1, `the word's letters lie inside its box at ${t} s`);
      assert.ok(inside.y0 > box.y0 && inside.y1 < box.y1, 'and within its height');
    }
    const word = ink(at(frames, 1.3))!;
    assert.ok(one[0].height > 20 && one[0].height < 40, `about the word's height: ${one[0].height}`);
    assert.ok(one[0].x0 >= word.x0 - 8 && one[0].x1 < word.x1, 'around the first word only');
  });

  test('scale: the spoken word is larger, about its centre, its neighbours unmoved', async () => {
    const frames = await render('scale', { words: WORDS, lines: 1, width: 0.5, font: { size: 30 }, highlight: { style: 'scale', scale: 1.3 } });
    const idle = at(frames, 1.3);
    const spoken = at(frames, 0.6);
    const word = (p: Picture, x0: number, x1: number) => extentOf(p, (c) => luma(c) > 128, { x: x0, y: 0, w: x1 - x0, h: p.height })!;
    const all = ink(idle)!;
    // "One" is the left third or so of "One two"; measure the ink left of the page's middle.
    const mid = Math.round(all.cx);
    const small = word(idle, all.x0 - 10, mid - 15);
    const big = word(spoken, all.x0 - 10, mid - 15);
    assert.ok(big.height >= small.height * 1.2, `taller while spoken: ${small.height} → ${big.height} px`);
    const right = (p: Picture) => word(p, mid + 15, all.x1 + 1);
    assert.deepEqual([right(spoken).x0, right(spoken).x1], [right(idle).x0, right(idle).x1], 'the next word does not move');
    // Whole, not cut at its slot: as much wider as it is taller, about its centre.
    // "One" ends where the first gap of blank columns begins; "two" starts after it.
    const inked = (x: number) => !!extentOf(idle, (c) => luma(c) > 128, { x, y: 0, w: 1, h: idle.height });
    let end = all.x0;
    while ([1, 2, 3, 4, 5, 6].some((d) => inked(end + d))) end++;
    let before = end + 1;
    while (!inked(before)) before++;
    const s0 = word(idle, all.x0 - 10, before);
    const b0 = word(spoken, all.x0 - 10, before);
    assert.ok(b0.width >= s0.width * 1.2 && b0.width <= s0.width * 1.45, `wider by the scale: ${s0.width} → ${b0.width} px`);
    assert.ok(Math.abs(b0.cx - s0.cx) <= 2, `about its centre: ${s0.cx} → ${b0.cx}`);
  });
});

describe('every script, as in text', () => {
  const TOFU = '\u{10FFFD}';
  const words = (texts: string[]) => texts.map((text, i) => ({ text, start: 0.5 + i * 0.5, end: 1 + i * 0.5 }));
  let frames: Picture[] = [];
  before(async () => {
    // Two caption clips, one above the other: an emoji and a CJK word, and the same number of
    // characters that no font has. The spoken word is yellow, which isolates it.
    const out = await h.render('scripts', {
      output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 2 },
      tracks: [
        { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 2 }] },
        { clips: [{ asset: { type: 'captions', font: { size: 36 }, words: words(['🟥', '你好']), highlight: { style: 'color' } }, start: 0, length: 2, position: 'top' }] },
        { clips: [{ asset: { type: 'captions', font: { size: 36 }, words: words([TOFU, TOFU + TOFU]), highlight: { style: 'color' } }, start: 0, length: 2, position: 'bottom' }] },
      ],
    });
    frames = await decodeFrames(out.video.path);
  });
  const top = (p: Picture) => ({ x: 0, y: 0, w: p.width, h: p.height / 2 });
  const bottom = (p: Picture) => ({ x: 0, y: p.height / 2, w: p.width, h: p.height / 2 });

  test('an emoji in a caption is drawn in colour', () => {
    const p = at(frames, 1.2);
    const red = extentOf(p, (c) => c[0] > 180 && c[1] < 90 && c[2] < 90, top(p));
    assert.ok(red && red.count > 300, `${red?.count ?? 0} red pixels from 🟥`);
    assert.equal(extentOf(p, (c) => c[0] > 180 && c[1] < 90 && c[2] < 90, bottom(p)), undefined, 'none where no font has the characters');
  });

  test('a CJK word in a caption is drawn with real glyphs, not missing-glyph boxes', () => {
    const p = at(frames, 1.2);
    const cjk = extentOf(p, (c) => isColour(c, YELLOW, 60), top(p))!;
    const tofu = extentOf(p, (c) => isColour(c, YELLOW, 60), bottom(p))!;
    assert.ok(cjk && tofu, 'the spoken word is drawn in both captions');
    const grid = (b: NonNullable<typeof cjk>) => {
      const out: number[] = [];
      for (let j = 0; j < 16; j++) for (let i = 0; i < 32; i++) {
        const x = Math.round(b.x0 + (i / 31) * (b.x1 - b.x0));
        const y = Math.round(b.y0 + (j / 15) * (b.y1 - b.y0));
        out.push(isColour(pixel(p, x, y), YELLOW, 60) ? 1 : 0);
      }
      return out;
    };
    const a = grid(cjk);
    const b = grid(tofu);
    const d = a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0) / a.length;
    assert.ok(d > 0.2, `你好 differs from two missing-glyph boxes in only ${(d * 100).toFixed(1)} % of its ink grid`);
  });
});

describe('SRT cues with a highlight', () => {
  test('each cue\'s time is shared among its words by length', async () => {
    // "aaaa bb" over 0.5–1.2 s: "aaaa " is 5 of 7 characters, so "aaaa" until 1.0 s, then "bb".
    const frames = await render('srt', { src: 'cues.srt', highlight: { style: 'color' } });
    const first = yellow(at(frames, 0.95))!;
    const second = yellow(at(frames, 1.0))!;
    assert.ok(first && second, 'a word is highlighted throughout the cue');
    assert.ok(second.x0 > first.x1, `the highlight moves to "bb" at 1.0 s (${first.x0}–${first.x1}, then ${second.x0}–${second.x1})`);
    assert.ok(yellow(at(frames, 0.5)), 'from the cue start');
    assert.equal(yellow(at(frames, 1.2)), undefined, 'until the cue end');
  });
});

test('caption animation plays on each page', async () => {
  const frames = await render('anim', { words: WORDS, lines: 1, width: 0.5, animation: { in: { style: 'fade', duration: 0.3 } } });
  assert.equal(ink(at(frames, 0.5)), undefined, 'the first page fades in from nothing');
  assert.ok(ink(at(frames, 0.8)), 'and is in after its duration');
  const later = WORDS.filter((w, i) => i > 0 && w.start > 1.3).map((w) => w.start);
  const pageStart = later.find((s) => ink(at(frames, s)) === undefined || textRows(at(frames, s)) === 0);
  assert.ok(pageStart !== undefined, 'a later page also starts from nothing');
});

test('a Whisper word that ends where it starts is drawn with its page, not a refusal of the whole file', async () => {
  // Whisper's word aligners pin some short words to one instant (start = end).
  writeFileSync(join(h.dir, 'instant.json'), JSON.stringify({
    task: 'transcribe', language: 'english', duration: 3.4, text: '', segments: [],
    words: WORDS.map((w, i) => ({ word: w.text, start: w.start, end: i === 1 ? w.start : w.end })),
  }));
  const [instant, usual] = [await render('instant', { src: 'instant.json', lines: 1, width: 0.5 }), await render('usual', { src: 'whisper.json', lines: 1, width: 0.5 })];
  const [a, b] = [ink(at(instant, 0.6)), ink(at(usual, 0.6))];
  assert.ok(a && b, 'the first page shows');
  assert.deepEqual([a.x0, a.x1, a.y0, a.y1], [b.x0, b.x1, b.y0, b.y1], 'the same page, "two" included');
});

test('a JSON file that is not a transcript is refused, naming the shapes understood', async () => {
  await assert.rejects(render('notes', { src: 'notes.json' }), (e: Error & { code?: string; problems?: { pointer: string; detail: string }[] }) => {
    assert.equal(e.code, 'MONTAGE_E_CAPTIONS_UNREADABLE');
    assert.equal(e.problems?.[0].pointer, '/tracks/1/clips/0/asset/src');
    assert.match(e.problems![0].detail, /verbose_json.*\[\{"text", "start", "end"\}\]/);
    return true;
  });
});

test('an SRT file that does not parse, or is empty, is refused at its src, naming the line and the fix', async () => {
  writeFileSync(join(h.dir, 'bad-time.srt'), '1\n00:00:00,000 --> 00:00:xx,000\nHello\n');
  writeFileSync(join(h.dir, 'blank.srt'), '\n\n');
  for (const [file, detail] of [['bad-time.srt', /^is not readable SRT or WebVTT: line 2 .*"00:00:xx,000" is not a timestamp; write HH:MM:SS,mmm/], ['blank.srt', /^is empty: give an SRT or WebVTT file/]] as const) {
    await assert.rejects(render(file, { src: file, highlight: { style: 'color' } }), (e: Error & { code?: string; problems?: { pointer: string; detail: string }[] }) => {
      assert.equal(e.code, 'MONTAGE_E_CAPTIONS_UNREADABLE', file);
      assert.equal(e.problems?.[0]?.pointer, '/tracks/1/clips/0/asset/src', `${file}: ${e.message}`);
      assert.match(e.problems![0].detail, detail);
      return true;
    });
  }
});

test('a captions file with no cue or word to show is a warning at its src, not a silently empty clip', async () => {
  writeFileSync(join(h.dir, 'no-cues.vtt'), 'WEBVTT\n\nNOTE only a note\n');
  writeFileSync(join(h.dir, 'blank-words.json'), JSON.stringify([{ text: ' ', start: 0, end: 1 }]));
  for (const src of ['no-cues.vtt', 'blank-words.json']) {
    const out = await h.render(`empty-${src}`, {
      output: { width: 320, height: 180, fps: FPS, quality: 'draft' },
      tracks: [{ clips: [{ asset: { type: 'captions', src }, start: 0, length: 1 }] }],
    });
    assert.ok(out.summary.warnings.some((w) => w.pointer === '/tracks/0/clips/0/asset/src' && /holds no cues or words/.test(w.detail)), `${src}: ${JSON.stringify(out.summary.warnings)}`);
    assert.equal(ink((await decodeFrames(out.video.path))[5]), undefined, 'nothing is drawn');
  }
});

describe('words of scripts written without spaces', () => {
  // Chinese as a transcript gives it: words with no space between them. Pages joined every word
  // with a space ("我们 今天 去"), and an SRT cue of Chinese was one "word", highlighted whole.
  const HAN = [
    { text: '我们', start: 0.5, end: 1.0 }, { text: '今天', start: 1.0, end: 1.5 }, { text: '去', start: 1.5, end: 2.0 }, { text: '北京', start: 2.0, end: 2.5 },
  ];
  before(() => writeFileSync(join(h.dir, 'han.srt'), '1\n00:00:00,500 --> 00:00:02,500\n我们今天去北京\n'));

  test('transcript words are set with no space between them, and each is highlighted alone', async () => {
    const frames = await render('han-words', { words: HAN, lines: 1, width: 0.9, highlight: { style: 'color' } });
    const a = yellow(at(frames, 0.75));
    const b = yellow(at(frames, 1.25));
    const whole = ink(at(frames, 0.75));
    assert.ok(a && b && whole, 'the first and the second word in yellow while spoken');
    assert.ok(b.x0 > a.x1, `"今天" lies right of "我们" (${a.x0}–${a.x1} then ${b.x0}–${b.x1})`);
    // Set solid, the yellow of one word follows the last by the side bearings and the colour's
    // soft edges (5 px at 20 px here); a space between the words put 6 px more (11 px).
    assert.ok(b.x0 - a.x1 <= 7, `no space between the words: a gap of ${b.x0 - a.x1} px`);
    assert.ok(a.x1 - a.x0 < (whole.x1 - whole.x0) / 3, 'one word of four is yellow, not the page');
  });

  test('an SRT cue of Chinese is shared out among its dictionary words', async () => {
    const frames = await render('han-cue', { src: 'han.srt', lines: 1, width: 0.9, highlight: { style: 'color' } });
    const first = yellow(at(frames, 0.55));
    const last = yellow(at(frames, 2.45));
    const whole = ink(at(frames, 0.55));
    assert.ok(first && last && whole);
    assert.ok(first.x1 - first.x0 < (whole.x1 - whole.x0) / 2, `the first word alone is yellow at the cue's start (${first.x0}–${first.x1} of ${whole.x0}–${whole.x1})`);
    assert.ok(last.x0 > first.x1, 'a later word is yellow at its end');
  });
});
