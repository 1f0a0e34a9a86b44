/**
 * Which renders `chunks: 'auto'` splits, and in how many parts (the policy alone; the split render
 * itself is checked frame by frame in engine-chunks.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoChunkCount } from './auto-chunks.ts';

const tl = (o: { format?: string; quality?: string; width?: number; height?: number; fps?: number; seconds?: number; start?: number } = {}) => ({
  format: (o.format ?? 'mp4') as 'mp4',
  quality: (o.quality ?? 'medium') as 'medium',
  frame: { width: o.width ?? 1280, height: o.height ?? 720, fps: o.fps ?? 30 } as never,
  range: { start: o.start ?? 0, end: (o.start ?? 0) + (o.seconds ?? 12) },
});

test('ref-a (12 s mp4, 1280×720, 30 fps): one part per core, at least 4 s each, at most 4', () => {
  assert.deepEqual([1, 2, 3, 4, 16].map((cores) => autoChunkCount(tl(), cores)), [1, 2, 3, 3, 3]);
  assert.equal(autoChunkCount(tl({ seconds: 60 }), 16), 4);
  assert.equal(autoChunkCount(tl({ seconds: 60 }), 2), 2);
});

test('length: 8 s makes two parts, anything shorter (tests, stings) one; the range counts, not the timeline', () => {
  assert.equal(autoChunkCount(tl({ seconds: 8 }), 2), 2);
  assert.equal(autoChunkCount(tl({ seconds: 7.9 }), 2), 1);
  assert.equal(autoChunkCount(tl({ seconds: 3 }), 16), 1);
  assert.equal(autoChunkCount(tl({ seconds: 6, start: 30 }), 2), 1);
  assert.equal(autoChunkCount(tl({ seconds: 8, fps: 24 }), 2), 2);
});

test('picture rate above 1280×720 at 30 fps keeps one process: x264 already fills the cores (ref-b is 1080p)', () => {
  assert.equal(autoChunkCount(tl({ width: 1920, height: 1080, seconds: 60 }), 2), 1);
  assert.equal(autoChunkCount(tl({ fps: 60, seconds: 60 }), 2), 1);
  assert.equal(autoChunkCount(tl({ width: 720, height: 1280, seconds: 15 }), 2), 2);
  assert.equal(autoChunkCount(tl({ width: 1920, height: 1080, fps: 12, seconds: 60 }), 2), 2);
});

test('only mp4 below quality high: other encoders and formats keep one process', () => {
  for (const format of ['webm', 'mov', 'gif', 'png', 'mp3', 'wav']) assert.equal(autoChunkCount(tl({ format }), 2), 1, format);
  assert.equal(autoChunkCount(tl({ quality: 'high' }), 2), 1);
  for (const quality of ['draft', 'low', 'medium']) assert.equal(autoChunkCount(tl({ quality }), 2), 2, quality);
});
