/**
 * `{{NAME}}` placeholders filled from the composition's `merge` and from a render's merge (which
 * wins), substituted before validation, taking the value's type where a string is nothing but
 * one placeholder. Checked on the rendered pixels, lengths and sound.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { toneSequenceWav } from '../support/media-fixtures.ts';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, decodePicture, extentOf, luma } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { decodeAudio, rmsDb } from '../support/audio-levels.ts';
import { isMontageError } from '../../src/errors/registry.ts';

const h = createRenderHarness('placeholders');
after(() => h.dispose());
before(async () => { await toneSequenceWav(h.dir, 'half.wav', [[220, 0.5, 0.25]]); });

const card = (color: string, merge?: object) => ({
  output: { ...TINY, format: 'png' },
  tracks: [{ clips: [{ asset: { type: 'color', color }, start: 0, length: 1 }] }],
  ...(merge ? { merge } : {}),
});
const pictureOf = async (name: string, raw: object, merge?: Record<string, string | number | boolean>) =>
  decodePicture((await h.render(name, raw, { merge })).video.path);

test('a placeholder takes its value from the composition\'s merge', async () => {
  expectColour(await pictureOf('merge-own', card('{{bg}}', { bg: '#ff0000' })), 160, 90, '#ff0000', 'the merged colour', 2);
});

test('a render\'s merge overrides the composition\'s', async () => {
  expectColour(await pictureOf('merge-override', card('{{bg}}', { bg: '#ff0000' }), { bg: '#0000ff' }), 160, 90, '#0000ff', 'the overriding colour', 2);
});

test('spaces inside the braces are allowed', async () => {
  expectColour(await pictureOf('merge-spaces', card('{{  bg }}', { bg: '#00ff00' })), 160, 90, '#00ff00', 'the merged colour', 2);
});

test('inside a longer string the value is spliced in as text, and changes what is drawn', async () => {
  const text = (merge: Record<string, string | number>) => ({
    output: { ...TINY, format: 'png' },
    tracks: [{ clips: [{ asset: { type: 'text', text: 'Hi {{name}}', font: { size: 30 } }, start: 0, length: 1 }] }],
    merge,
  });
  const width = async (name: string, merge: Record<string, string | number>) => extentOf(await pictureOf(name, text(merge)), (c) => luma(c) > 100)?.width ?? 0;
  const [short, long, number] = [await width('text-short', { name: 'Al' }), await width('text-long', { name: 'Maximilian' }), await width('text-number', { name: 2026 })];
  assert.ok(long > short + 60, `a longer name, a wider line: ${short} → ${long} px`);
  assert.ok(number > short, `a number becomes its digits: ${number} px`);
});

test('a string that is only a placeholder takes the value\'s type: length from a number, or from a command-line string', async () => {
  const timed = (merge?: object) => ({
    output: TINY, tracks: [{ clips: [{ asset: { type: 'color', color: '#ffffff' }, start: 0, length: '{{seconds}}' }] }], ...(merge ? { merge } : {}),
  });
  const fromNumber = await h.render('typed-number', timed({ seconds: 1.5 }));
  assert.equal(fromNumber.summary.duration, 1.5);
  assert.equal((await decodeFrames(fromNumber.video.path)).length, 15);
  const fromString = await h.render('typed-string', timed(), { merge: { seconds: '0.8' } });
  assert.equal((await decodeFrames(fromString.video.path)).length, 8);
});

test('booleans too: loop from a placeholder', async () => {
  const music = (loop: string | boolean) => ({
    output: { ...TINY, format: 'wav', duration: 1.5 },
    soundtrack: { src: 'half.wav', loop: '{{loop}}' },
    tracks: [{ clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 1.5 }] }],
    merge: { loop },
  });
  const once = await decodeAudio((await h.render('loop-false', music(false))).video.path);
  assert.ok(rmsDb(once, 0.6, 1.4) < -60, 'loop: false, silence after one pass');
  const looped = await decodeAudio((await h.render('loop-true', music('true'))).video.path);
  assert.ok(rmsDb(looped, 0.6, 1.4) > -25, 'loop: "true", the music again');
});

test('a placeholder with no value is an error that names it', () => {
  assert.throws(() => h.engine.validate(card('{{missing_colour}}')), (e: unknown) =>
    isMontageError(e) && e.code === 'MONTAGE_E_MISSING_PLACEHOLDER' && /missing_colour/.test(`${e.message} ${JSON.stringify(e.problems)}`));
});

test('substitution happens before validation: a bad value is reported at the field it landed in', () => {
  assert.throws(() => h.engine.validate(card('{{bg}}', { bg: 'red' })), (e: unknown) =>
    isMontageError(e) && e.code === 'MONTAGE_E_INVALID_COMPOSITION' && e.problems.some((p) => p.pointer === '/tracks/0/clips/0/asset/color'));
});

test('a number or boolean filling a whole text, span or caption is drawn as its digits, not refused as "not a string"', async () => {
  const only = (asset: object, merge: object) => ({
    output: { ...TINY, format: 'png' }, tracks: [{ clips: [{ asset, start: 0, length: 1 }] }], merge,
  });
  const inked = async (name: string, raw: object) => extentOf(await pictureOf(name, raw), (c) => luma(c) > 100)?.width ?? 0;
  const text = await inked('whole-number-text', only({ type: 'text', text: '{{price}}', font: { size: 30 } }, { price: 9.99 }));
  assert.ok(text > 40, `"9.99" drawn: ${text} px of ink`);
  const span = await inked('whole-number-span', only({ type: 'text', text: [{ text: '{{n}}' }, { text: ' left' }], font: { size: 30 } }, { n: 3 }));
  assert.ok(span > text, `"3 left" drawn: ${span} px of ink`);
  const flag = await inked('whole-boolean-cue', only({ type: 'captions', cues: [{ start: 0, end: 1, text: '{{ok}}' }], font: { size: 30 } }, { ok: true }));
  assert.ok(flag > 40, `"true" drawn: ${flag} px of ink`);
  // A bad number where a number is needed is still reported as that number.
  const badLength = { ...card('#000000', { len: -2 }), tracks: [{ clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: '{{len}}' }] }] };
  assert.throws(() => h.engine.validate(badLength), (e: unknown) => isMontageError(e)
    && e.problems.some((p) => p.pointer === '/tracks/0/clips/0/length' && /got -2\b/.test(p.detail)));
});
