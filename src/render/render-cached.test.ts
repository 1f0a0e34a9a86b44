import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PARALLEL_PIECES, longestFirst, pieceProcesses, pieceRuns, piecesPerProcess, runLength } from './render-cached.ts';

test('a cold 1080p or 4K render makes one piece a process; smaller frames share a process', () => {
  // One 1080p piece a process measured less CPU and a third of the peak memory of three a run
  // (docs/benchmarks.md, "Cold render with the piece cache"): each piece in a run first-touches
  // memory of its own, which the kernel zeroes as it would for a new process.
  assert.equal(piecesPerProcess({ width: 1920, height: 1080 }), 1);
  assert.equal(piecesPerProcess({ width: 1080, height: 1920 }), 1);
  assert.equal(piecesPerProcess({ width: 3840, height: 2160 }), 1);
  assert.equal(piecesPerProcess({ width: 1280, height: 720 }), 2);
  assert.ok(piecesPerProcess({ width: 320, height: 180 }) >= 3);
});

test('by default the pieces are spread over the processes before they share one', () => {
  // Two 720p pieces fit one process, but there they took turns on one encoder thread each
  // beside an idle core: each gets a process of its own.
  assert.equal(runLength(2, 3, piecesPerProcess({ width: 1280, height: 720 })), 1);
  assert.equal(runLength(6, 3, 2), 2);
  assert.equal(runLength(30, 3, 2), 2, 'never more than fit in memory');
  assert.equal(runLength(30, 3, 41), 10);
  assert.equal(runLength(1, 4, 41), 1);
  assert.equal(runLength(0, 3, 2), 1);
});

test('runs start longest first, the earlier of two as long', () => {
  const run = (...pieces: Array<[index: number, frames: number]>) => pieces.map(([index, frames]) => ({ r: { index, frames } }));
  const order = longestFirst([run([0, 120]), run([1, 60]), run([2, 180]), run([3, 120], [4, 60]), run([5, 120])]).map((r) => r.map((p) => p.r.index));
  assert.deepEqual(order, [[2], [3, 4], [0], [5], [1]]);
});

test('runs are consecutive pieces on the grid, at most the given count', () => {
  const at = (...indices: number[]) => indices.map((index) => ({ r: { index } }));
  const runs = (todo: ReturnType<typeof at>, max: number) => pieceRuns(todo, max).map((run) => run.map((p) => p.r.index));
  assert.deepEqual(runs(at(0, 1, 2, 3, 4), 1), [[0], [1], [2], [3], [4]]);
  assert.deepEqual(runs(at(0, 1, 2, 4, 5, 9), 2), [[0, 1], [2], [4, 5], [9]]);
});

test('pieces render one process a core (and one more) by default, each encoder on its share of the cores', () => {
  // On 2 cores two pieces side by side on one x264 thread each made a cold cached render no
  // slower than a plain one (docs/benchmarks.md, "Cold render with the piece cache: a piece process a core").
  // One more process than the cores where they are few, so that the last piece does not run beside
  // an idle core; the threads (which key the pieces) are those of one a core.
  assert.deepEqual(pieceProcesses(2), { parallel: 3, threads: 1 });
  assert.deepEqual(pieceProcesses(3), { parallel: 4, threads: 1 });
  assert.deepEqual(pieceProcesses(4), { parallel: 4, threads: 1 });
  assert.deepEqual(pieceProcesses(16), { parallel: MAX_PARALLEL_PIECES, threads: 4 });
  assert.deepEqual(pieceProcesses(1), { parallel: 2, threads: 1 });
  // Threads given (MONTAGE_FFMPEG_THREADS): as many processes as they fit in the cores, at least one.
  assert.deepEqual(pieceProcesses(8, { threads: 2 }), { parallel: 4, threads: 2 });
  assert.deepEqual(pieceProcesses(2, { threads: 4 }), { parallel: 1, threads: 4 });
  // `--chunks N` bounds the processes; one at a time keeps the plain render's threads.
  assert.deepEqual(pieceProcesses(2, { parallel: 1 }), { parallel: 1, threads: 3 });
  assert.deepEqual(pieceProcesses(8, { parallel: 2 }), { parallel: 2, threads: 4 });
});
