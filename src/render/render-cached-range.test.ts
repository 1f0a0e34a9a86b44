// A video-only range through the piece cache (the render-piece job of a distributed render):
// real engine, real ffmpeg, a real SQLite index and file object store. A range shares its key with
// the same frames of a cached whole render, so it is reused and decodes to exactly those frames;
// a range whose clips changed, or another tenant, is rendered and recorded.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCliPieceCache } from '../cli/cli-piece-cache.ts';
import type { Composition } from '../composition/schema.ts';
import { createRenderEngine } from './engine.ts';

const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });

/** 6 s at 10 fps, 2 s pieces; the name shows in 4.2–5.8 s (the last piece). */
const composition = (name: string, range?: { start: number; length: number }) => engine.validate({
  output: { format: 'mp4', width: 320, height: 180, fps: 10, quality: 'draft', ...(range ? { range } : {}) },
  background: '#203040',
  tracks: [{ clips: [
    { asset: { type: 'shape', shape: 'circle', width: 50, height: 50, fill: '#ffcc00' }, start: 0, length: 6, keyframes: { x: [{ time: 0, value: -0.3 }, { time: 6, value: 0.3 }] } },
    { asset: { type: 'text', text: 'hello', font: { size: 24 } }, start: 0.5, length: 2 },
    { asset: { type: 'text', text: name, font: { size: 24 } }, start: 4.2, length: 1.6 },
  ] }],
}).composition as Composition;

const frames = (file: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'])
  .toString().split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());

describe('a cached range (one piece of a distributed render)', () => {
  let dir = '';
  let cache: ReturnType<typeof openCliPieceCache>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'montage-cached-range-'));
    cache = openCliPieceCache(join(dir, 'cache'));
  });
  after(() => { cache.close(); rmSync(dir, { recursive: true, force: true }); });

  const render = async (c: Composition, out: string, streams: 'both' | 'video', tenant = 't1') => {
    const workDir = mkdtempSync(join(dir, 'work-'));
    try {
      const r = await engine.render({
        composition: c, workDir, outputPath: join(dir, out), resolveSrc: async (src) => src, streams, threads: 2,
        pieceCache: { cache: cache.cache, tenant, pieceSeconds: 2 },
      });
      return { path: r.video.path, pieces: r.pieces! };
    } finally { rmSync(workDir, { recursive: true, force: true }); }
  };

  it('reuses the piece a cached whole render stored for the same frames, and decodes to exactly its frames', async () => {
    const whole = await render(composition('Ada'), 'whole.mp4', 'both');
    assert.deepEqual([whole.pieces.total, whole.pieces.reused], [3, 0]);

    const middle = await render(composition('Grace', { start: 2, length: 2 }), 'middle.mp4', 'video');
    assert.deepEqual([middle.pieces.total, middle.pieces.reused], [1, 1], 'seconds 2–4 show no name: the whole render’s piece');
    assert.equal(middle.pieces.keys?.length, 1);
    assert.ok(middle.pieces.bytesReused > 0);
    assert.deepEqual(frames(middle.path), frames(whole.path).slice(20, 40), 'the frames of seconds 2–4 of the whole render');

    const last = await render(composition('Grace', { start: 4, length: 2 }), 'last.mp4', 'video');
    assert.deepEqual([last.pieces.total, last.pieces.reused], [1, 0], 'the piece with the other name is rendered');
    assert.equal(frames(last.path).length, 20);
    assert.notDeepEqual(frames(last.path), frames(whole.path).slice(40), 'and shows the other name');
    const again = await render(composition('Grace', { start: 4, length: 2 }), 'last-again.mp4', 'video');
    assert.deepEqual([again.pieces.reused, again.pieces.keys], [1, last.pieces.keys], 'then recorded, under the same key');
    assert.deepEqual(frames(again.path), frames(last.path));

    const other = await render(composition('Grace', { start: 2, length: 2 }), 'other-tenant.mp4', 'video', 't2');
    assert.equal(other.pieces.reused, 0, 'another tenant reuses nothing');
  });
});
