/**
 * Shotstack's `length: "auto"` on an asset without a duration is 3 seconds (its Smart Clips
 * guide); Montage's `auto` is for video and audio only, so the import gives those clips 3 s and
 * the composition is accepted as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateComposition } from '../composition/validate-composition.ts';
import { pathText } from './edit-problems.ts';
import { importShotstackEdit } from './edit-to-composition.ts';

const editOf = (clips: unknown[]) => ({ timeline: { tracks: [{ clips }] }, output: { format: 'mp4', resolution: 'sd' } });
const lengths = (r: ReturnType<typeof importShotstackEdit>) => (r.composition.tracks as { clips: { length: unknown }[] }[])[0].clips.map((c) => c.length);

test('length "auto" on image, svg, title, text, rich-text and shape clips is 3 s; the composition validates', () => {
  const r = importShotstackEdit(editOf([
    { asset: { type: 'image', src: 'https://x.test/a.png' }, start: 'auto', length: 'auto' },
    { asset: { type: 'svg', src: 'https://x.test/a.svg' }, start: 'auto', length: 'auto' },
    { asset: { type: 'title', text: 'Hi' }, start: 'auto', length: 'auto' },
    { asset: { type: 'text', text: 'Hi' }, start: 'auto', length: 'auto' },
    { asset: { type: 'rich-text', text: 'Hi' }, start: 'auto', length: 'auto' },
    { asset: { type: 'shape', shape: 'circle', circle: { radius: 10 }, fill: { color: '#ffffff' } }, start: 'auto', length: 'auto' },
  ]));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(lengths(r), [3, 3, 3, 3, 3, 3]);
  assert.doesNotThrow(() => validateComposition(r.composition));
});

test('length "auto" stays the source\'s length on video and audio clips', () => {
  const r = importShotstackEdit(editOf([
    { asset: { type: 'video', src: 'https://x.test/a.mp4' }, start: 0, length: 'auto' },
    { asset: { type: 'audio', src: 'https://x.test/a.mp3' }, start: 0, length: 'auto' },
  ]));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(lengths(r), ['auto', 'auto']);
});

test('length "auto" on a caption is refused at its Edit path, with the fix', () => {
  const r = importShotstackEdit(editOf([{ asset: { type: 'caption', src: 'https://x.test/a.srt' }, start: 0, length: 'auto' }]));
  assert.deepEqual(r.problems.map((p) => pathText(p.path)), ['timeline.tracks[0].clips[0].length']);
  assert.match(r.problems[0].message, /give the length in seconds, or "end"/);
});
