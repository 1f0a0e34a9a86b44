/**
 * A Shotstack luma clip masks the clip of its track that starts when it does. Montage plays a mask
 * from the start of its clip, so a matte starting later inside a clip (a luma "out" transition)
 * would play early: it is refused at its start, with the fix, instead of silently shifting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathText } from './edit-problems.ts';
import { importShotstackEdit } from './edit-to-composition.ts';

const editOf = (clips: unknown[]) => ({ timeline: { tracks: [{ clips }] }, output: { format: 'mp4', resolution: 'sd' } });
const video = { type: 'video', src: 'https://x.test/a.mp4' };
const luma = { type: 'luma', src: 'https://x.test/wipe.mp4' };

test('a luma starting with its clip becomes that clip\'s luma mask', () => {
  const r = importShotstackEdit(editOf([{ asset: luma, start: 2, length: 1 }, { asset: video, start: 2, length: 4 }]));
  assert.deepEqual(r.problems, []);
  assert.deepEqual((r.composition.tracks as { clips: { mask?: unknown }[] }[])[0].clips[0].mask, { src: 'https://x.test/wipe.mp4', mode: 'luma' });
});

test('a luma starting inside a clip is refused at its start, with the split as the fix', () => {
  const r = importShotstackEdit(editOf([{ asset: video, start: 0, length: 4 }, { asset: luma, start: 3, length: 1 }]));
  assert.deepEqual(r.problems.map((p) => pathText(p.path)), ['timeline.tracks[0].clips[1].start']);
  assert.match(r.problems[0].message, /inside a clip that starts at 0 s: .*split that clip at 3 s/);
});
