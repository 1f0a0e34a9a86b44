/**
 * The sequence builder draws each distinct state once: a static stretch is one image, a state
 * that comes back reuses its image, and only the frames of the rendered range are sampled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SEQUENCE_IMAGES, buildRasterSequence, sequenceRuns } from './raster-sequence.ts';
import { isMontageError } from '../../errors/registry.ts';

const size = { width: 10, height: 10 };
const P = '/tracks/1/clips/0/asset';

test('one image per distinct state; a returning state reuses its image', async () => {
  const drawn: number[] = [];
  // Moving for the first 5 frames (10 fps), then still, then the first state again from 2 s on.
  const keyAt = (t: number) => (t >= 2 ? 'k0' : t < 0.5 ? `k${Math.round(t * 10)}` : 'rest');
  const seq = await buildRasterSequence({ pointer: P, start: 1, length: 3, fps: 10, origin: 0, keyAt, draw: async (t, i) => { drawn.push(t); return `/w/${i}.png`; } }, size);
  assert.deepEqual(seq.paths, ['/w/0.png', '/w/1.png', '/w/2.png', '/w/3.png', '/w/4.png', '/w/5.png']);
  assert.deepEqual(drawn, [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(seq.changes, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 2].map((at, i) => ({ at, image: i === 6 ? 0 : i })));
  assert.deepEqual(sequenceRuns(seq, 0, 30, 10).map((r) => [r.image, r.frames]), [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 15], [0, 10]]);
});

test('a range render samples only its own frames, on the same grid', async () => {
  const sampled: number[] = [];
  const keyAt = (t: number) => { sampled.push(t); return String(Math.floor(t * 10)); };
  await buildRasterSequence({ pointer: P, start: 0.25, length: 3, fps: 10, origin: 1, until: 1.5, keyAt, draw: async (_t, i) => `/w/${i}.png` }, size);
  assert.deepEqual(sampled.map((t) => +t.toFixed(6)), [0.75, 0.85, 0.95, 1.05, 1.15]);
});

test('a clip that would need more pictures than the limit is refused with its pointer, not drawn', async () => {
  let drawn = 0;
  await assert.rejects(
    buildRasterSequence({ pointer: P, start: 0, length: 2100, fps: 10, origin: 0, keyAt: (t) => String(t), draw: async (_t, i) => { drawn++; return `/w/${i}.png`; } }, size),
    (e) => isMontageError(e) && e.code === 'MONTAGE_E_LIMIT_EXCEEDED' && e.problems[0].pointer === P && /shorten animation.duration/.test(e.problems[0].detail),
  );
  assert.equal(drawn, MAX_SEQUENCE_IMAGES);
});
