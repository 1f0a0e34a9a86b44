/**
 * Which ffmpeg processes a cold cached render starts, and in what order (render-cached.ts:
 * runLength, longestFirst), seen on real renders through an ffmpeg wrapper that logs each
 * process's arguments in the order they start.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRenderEngine } from './engine.ts';
import { openCliPieceCache } from '../cli/cli-piece-cache.ts';

let dir = '';
let log = '';
let wrapper = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'montage-piece-order-'));
  log = join(dir, 'log');
  wrapper = join(dir, 'ffmpeg.sh');
  // One file a process, named by its start in nanoseconds, then the real ffmpeg.
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" > "${log}/$(date +%s%N).$$.args"\nexec ffmpeg "$@"\n`);
  chmodSync(wrapper, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * 10 s at 30 fps in 4 s pieces: the bar's end at 2 s (a keyframe, half a step from the grid's
 * 4 s cut) moves that cut, so the pieces are 0–2 s (60 frames), 2–8 s (180) and 8–10 s (60).
 */
const composition = {
  output: { width: 160, height: 90, fps: 30, quality: 'draft' },
  tracks: [
    { clips: [{ asset: { type: 'shape', shape: 'rectangle', fill: '#ffffff', width: 160, height: 20 }, start: 0, length: 2, position: 'top' }] },
    { clips: [{ asset: { type: 'shape', shape: 'rectangle', fill: '#2040ff', width: 120, height: 60 }, start: 0, length: 10,
      keyframes: { x: [{ time: 0, value: -0.2 }, { time: 10, value: 0.2 }] } }] },
  ],
};

/** The cold render's piece processes, in the order they started: the piece indices each made. */
const coldRender = async (name: string, o: { chunks: number; piecesPerProcess?: number }) => {
  rmSync(log, { recursive: true, force: true });
  mkdirSync(log);
  const engine = createRenderEngine({ ffmpegPath: wrapper, ffprobePath: 'ffprobe' });
  const { composition: c } = engine.validate(composition);
  const opened = openCliPieceCache(join(dir, `cache-${name}`));
  const outputPath = join(dir, `${name}.mp4`);
  try {
    const r = await engine.render({
      composition: c, workDir: mkdtempSync(join(dir, 'w-')), outputPath, resolveSrc: async (s) => s, chunks: o.chunks,
      pieceCache: { cache: opened.cache, tenant: 't', pieceSeconds: 4, ...(o.piecesPerProcess ? { piecesPerProcess: o.piecesPerProcess } : {}) },
    });
    assert.deepEqual([r.pieces?.total, r.pieces?.reused], [3, 0]);
  } finally { opened.close(); }
  const frames = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', outputPath]).toString().trim();
  assert.equal(frames, '300', `${name}: every frame joined`);
  return readdirSync(log).sort((a, b) => (BigInt(a.split('.')[0]) < BigInt(b.split('.')[0]) ? -1 : 1))
    .map((f) => readFileSync(join(log, f), 'utf8').split('\n').flatMap((a) => /\/part-(\d+)\.mp4$/.exec(a)?.[1] ?? []).map(Number))
    .filter((parts) => parts.length > 0);
};

test('one process at a time: the longest piece starts first, then the others in timeline order', async () => {
  assert.deepEqual(await coldRender('one-at-a-time', { chunks: 1, piecesPerProcess: 1 }), [[1], [0], [2]]);
});

test('by default each process at once gets a piece before any process gets two', async () => {
  // 160×90 pieces fit dozens to a process; with three processes at once each takes one.
  const processes = await coldRender('spread', { chunks: 3 });
  assert.deepEqual(processes.map((p) => p.length), [1, 1, 1]);
  assert.deepEqual(processes.flat().sort(), [0, 1, 2]);
  // With one process at a time they share it, as a run.
  assert.deepEqual(await coldRender('shared', { chunks: 1 }), [[0, 1, 2]]);
});
