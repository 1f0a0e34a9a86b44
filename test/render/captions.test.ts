/**
 * Captions from an SRT file, a WebVTT file and inline cues: each cue shows for its own time
 * (relative to the clip's start), at the bottom by default, in a dark box over the picture; styling
 * fields apply; a cue is cut where the clip ends. A character that no font can draw is a warning
 * naming it, as in text: from validation for inline cues and words, from the render for a `src` file
 * (read only then) and for captions in a declared font.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, extentOf, frameAt, isColour, luma, patch, type Picture } from '../support/decoded-pictures.ts';
import { expectNear } from '../support/picture-asserts.ts';
import { isMontageError } from '../../src/errors/registry.ts';

const h = createRenderHarness('captions');
after(() => h.dispose());

// Relative to the clip, which starts at 0.5 s: "One" shows 0.7–1.3 s, the longer second cue 1.5–2.1 s.
const SRT = `1
00:00:00,200 --> 00:00:00,800
One

2
00:00:01,000 --> 00:00:01,600
<i>Second</i> cue, longer
`;
const VTT = `WEBVTT

NOTE timings as in the SRT file

00:00.200 --> 00:00.800 align:start
One

intro-2
00:00:01.000 --> 00:00:01.600
<c.yellow>Second</c> cue, longer
`;
const CUES = [{ start: 0.2, end: 0.8, text: 'One' }, { start: 1, end: 1.6, text: 'Second cue, longer' }];

before(() => {
  writeFileSync(join(h.dir, 'subs.srt'), SRT);
  writeFileSync(join(h.dir, 'subs.vtt'), VTT);
});

const render = async (name: string, asset: object, clip: object = {}) => {
  const out = await h.render(name, {
    output: { ...TINY, duration: 2.5 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#ffffff' }, start: 0, length: 2.5 }] },
      { clips: [{ asset: { type: 'captions', ...asset }, start: 0.5, length: 2, ...clip }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  assert.equal(frames.length, 25);
  return frames;
};
/** The caption's box: what is not the white picture. */
const captionBox = (frames: Picture[], t: number) => extentOf(frameAt(frames, TINY.fps, t), (c) => luma(c) < 200);

const checkTimeline = (frames: Picture[]) => {
  for (const t of [0.3, 0.6, 1.4, 2.2, 2.4]) assert.equal(captionBox(frames, t), undefined, `no caption at ${t} s`);
  const one = captionBox(frames, 1.0);
  const two = captionBox(frames, 1.8);
  assert.ok(one, 'the first cue at 1.0 s (0.5 s into the clip)');
  assert.ok(two, 'the second cue at 1.8 s');
  assert.ok(two.width > one.width + 40, `a different, longer text: ${one.width} → ${two.width} px`);
  assert.ok(captionBox(frames, 0.7) && captionBox(frames, 1.2), 'from its start to its end');
  return { one, two };
};

describe('sources', () => {
  test('SRT file: each cue for its time, relative to the clip start; tags dropped', async () => {
    checkTimeline(await render('srt', { src: 'subs.srt' }));
  });
  test('WebVTT file: the same cues (header, NOTE, identifiers and settings understood)', async () => {
    const fromSrt = checkTimeline(await render('vtt-srt', { src: 'subs.srt' }));
    const fromVtt = checkTimeline(await render('vtt', { src: 'subs.vtt' }));
    expectNear([fromVtt.one.width, fromVtt.two.width], [fromSrt.one.width, fromSrt.two.width], 'the same text as the SRT', 1);
  });
  test('inline cues', async () => {
    checkTimeline(await render('cues', { cues: CUES }));
  });
  test('a UTF-16 file with its byte-order mark (Notepad\'s "Unicode"), little or big endian, reads as its UTF-8 twin', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SRT.replace(/\n/g, '\r\n'), 'utf16le')]);
    writeFileSync(join(h.dir, 'subs-le.srt'), le);
    writeFileSync(join(h.dir, 'subs-be.srt'), Buffer.from(le).swap16());
    const fromUtf8 = checkTimeline(await render('utf16-twin', { src: 'subs.srt' }));
    for (const file of ['subs-le.srt', 'subs-be.srt']) {
      const got = checkTimeline(await render(file, { src: file }));
      expectNear([got.one.width, got.two.width], [fromUtf8.one.width, fromUtf8.two.width], `${file}: the same text`, 1);
    }
  });
  test('a file in another encoding (Windows-1252) is refused at its src with the line and the fix, not drawn as "�"', async () => {
    writeFileSync(join(h.dir, 'latin1.srt'), Buffer.from('1\r\n00:00:00,200 --> 00:00:00,800\r\nCaf\xe9 cr\xe8me\r\n', 'latin1'));
    await assert.rejects(render('latin1', { src: 'latin1.srt' }), (e: unknown) => isMontageError(e) && e.code === 'MONTAGE_E_CAPTIONS_UNREADABLE'
      && e.problems.some((p) => p.pointer === '/tracks/1/clips/0/asset/src' && /not UTF-8 text: line 3 .*0xE9.*save the file as UTF-8/.test(p.detail)));
  });
});

describe('look', () => {
  test('by default: at the bottom with a 5 % margin, white text on a translucent dark box, 16 px text at 180 px high', async () => {
    const frames = await render('default-look', { cues: CUES });
    const box = captionBox(frames, 1.0)!;
    expectNear([box.y1 + 1], [180 - 9], 'the box ends 5 % above the bottom', 2);
    expectNear([box.cx], [160], 'centred (within the 2 px of even overlay positions)', 2);
    const p = frameAt(frames, TINY.fps, 1.0);
    const shade = patch(p, box.x0 + 3, box.y0 + 3);
    assert.ok(isColour(shade, '#5f5f5f', 25), `#000000a0 over white is a mid grey: rgb(${shade.join(', ')})`);
    const white = extentOf(p, (c) => luma(c) > 200, { x: box.x0, y: box.y0, w: box.width, h: box.height });
    assert.ok(white, 'white glyphs in the box');
    // Padding 12 above and below the line of 16 px text (line height 1.2: 19 px).
    expectNear([box.height], [12 + 19 + 12], 'the box height', 3);
  });

  test('styling fields apply: font colour, size and background', async () => {
    const frames = await render('styled', { cues: CUES, font: { color: '#ff0000', size: 24 }, background: '#0000ff' });
    const p = frameAt(frames, TINY.fps, 1.0);
    const box = extentOf(p, (c) => isColour(c, '#0000ff', 50));
    assert.ok(box, 'a blue box');
    assert.ok(extentOf(p, (c) => c[0] > 180 && c[1] < 80 && c[2] < 80, { x: box.x0, y: box.y0, w: box.width, h: box.height }), 'red text in it');
    const plain = captionBox(await render('unstyled', { cues: CUES }), 1.0)!;
    assert.ok(box.height > plain.height + 6, `bigger text, taller box: ${plain.height} → ${box.height}`);
  });

  test('position and offset override the bottom placement', async () => {
    const frames = await render('top', { cues: CUES }, { position: 'top', offset: { y: 0.05 } });
    const box = captionBox(frames, 1.0)!;
    expectNear([box.y0], [9], 'the box 5 % below the top', 2);
  });
});

test('a cue is cut where the clip ends', async () => {
  const frames = await render('cut', { cues: CUES }, { length: 1.3 });
  assert.ok(captionBox(frames, 1.6), 'the second cue while the clip lasts (until 1.8 s)');
  assert.equal(captionBox(frames, 1.9), undefined, 'gone after the clip');
});

describe('characters that no font can draw', () => {
  const TOFU = '\u{10FFFD}';
  const still = (asset: object, extra: object = {}) => ({
    output: { ...TINY, format: 'png' }, ...extra,
    tracks: [{ clips: [{ asset: { type: 'captions', ...asset }, start: 0, length: 2 }] }],
  });
  const tofu = (ws: readonly { pointer: string; detail: string }[], pointer: string) => ws.filter((w) => w.pointer === pointer && /no font can draw: "\u{10FFFD}" \(U\+10FFFD\)/u.test(w.detail));

  test('in a captions file: the render warns at its src, naming the character and when it is first spoken', async () => {
    writeFileSync(join(h.dir, 'tofu.srt'), `1\n00:00:00,000 --> 00:00:00,500\nfine\n\n2\n00:00:00,500 --> 00:00:01,500\nnot ${TOFU} fine ${TOFU}\n`);
    const raw = still({ src: 'tofu.srt' });
    assert.deepEqual(h.engine.validate(raw).summary.warnings, [], 'not knowable before the file is read');
    const out = await h.render('tofu-srt', raw);
    const found = tofu(out.summary.warnings, '/tracks/0/clips/0/asset/src');
    assert.equal(found.length, 1, JSON.stringify(out.summary.warnings));
    assert.match(found[0].detail, /^has a character that no font can draw: .*, first at 0\.50 s into the clip; it would show as empty boxes/u);
    // A transcript's words too (word captions), and a file whose scripts are all covered gives none.
    writeFileSync(join(h.dir, 'tofu.json'), JSON.stringify([{ text: 'مرحبا', start: 0, end: 0.4 }, { text: `x${TOFU}`, start: 0.4, end: 1 }]));
    const words = await h.render('tofu-json', still({ src: 'tofu.json', highlight: { style: 'color' } }));
    assert.match(tofu(words.summary.warnings, '/tracks/0/clips/0/asset/src')[0]?.detail ?? '', /first at 0\.40 s/);
    writeFileSync(join(h.dir, 'scripts.srt'), '1\n00:00:00,000 --> 00:00:01,000\nمرحبا 你好 🚀 नमस्ते\n');
    assert.deepEqual((await h.render('scripts-srt', still({ src: 'scripts.srt' }))).summary.warnings, []);
  });

  test('in inline words and cues: validation warns at the word or cue, as for text', () => {
    const words = h.engine.validate(still({ words: [{ text: 'ok', start: 0, end: 0.5 }, { text: TOFU, start: 0.5, end: 1 }] })).summary.warnings;
    assert.equal(tofu(words, '/tracks/0/clips/0/asset/words/1/text').length, 1, JSON.stringify(words));
    const cues = h.engine.validate(still({ cues: [{ start: 0, end: 1, text: `a ${TOFU}` }] })).summary.warnings;
    assert.equal(tofu(cues, '/tracks/0/clips/0/asset/cues/0/text').length, 1, JSON.stringify(cues));
  });

  test('in a declared font: the render warns, once its file is loaded', async () => {
    copyFileSync(join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSansMono.ttf'), join(h.dir, 'brand.ttf'));
    const raw = still({ words: [{ text: `a${TOFU}`, start: 0, end: 1 }], font: { family: 'Brand' } }, { fonts: [{ family: 'Brand', src: 'brand.ttf' }] });
    assert.deepEqual(h.engine.validate(raw).summary.warnings, [], 'not knowable before the font is fetched');
    const out = await h.render('tofu-declared', raw);
    assert.equal(tofu(out.summary.warnings, '/tracks/0/clips/0/asset/words/0/text').length, 1, JSON.stringify(out.summary.warnings));
  });
});
