/**
 * A chunked render over the fixed piece grid that reuses cached pieces: each piece's key
 * (piece-key.ts) is looked up first; a hit is copied in (its size and hash checked by the cache,
 * so a missing or corrupt piece is rendered again, never joined), a miss is rendered and recorded.
 * The audio is mixed once for the whole timeline, as in every chunked render, and the join copies
 * streams.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { PieceCacheUse } from '../ports/render-engine.ts';
import { audioFileName, partFileName, planJoin } from './chunk-plan.ts';
import { planRender } from './plan-render.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { runFfmpeg } from './run-ffmpeg.ts';
import { fixedPieceGrid } from './piece-grid.ts';
import { filePathsIn, pieceKey } from './piece-key.ts';
import type { Timeline } from './timeline.ts';

export interface PieceCount { readonly total: number; readonly reused: number; readonly bytesReused: number }

const ffmpegVersions = new Map<string, Promise<string>>();
/** First line of `ffmpeg -version`, read once per process and binary. */
export const ffmpegVersion = (ffmpegPath: string): Promise<string> => {
  let v = ffmpegVersions.get(ffmpegPath);
  if (!v) {
    v = promisify(execFile)(ffmpegPath, ['-hide_banner', '-version']).then(({ stdout }) => String(stdout).split('\n')[0].trim());
    ffmpegVersions.set(ffmpegPath, v);
  }
  return v;
};

const sha256File = async (path: string): Promise<string> => {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
};

/** Runs `fn` over items with at most `limit` in flight. */
const inPool = async <T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
};

export interface CachedRenderOptions {
  readonly tl: Timeline;
  readonly use: PieceCacheUse;
  readonly outputPath: string;
  readonly workDir: string;
  readonly ffmpegPath: string;
  readonly engineVersion: string;
  /** Overrides the probed ffmpeg version string (tests). */
  readonly ffmpegVersion?: string;
  /** Piece processes at once. */
  readonly parallel?: number;
  readonly threads?: number;
  readonly signal: AbortSignal;
  readonly onFraction: (f: number) => void;
}

export const renderCached = async (o: CachedRenderOptions): Promise<PieceCount> => {
  const { tl, use, signal } = o;
  const grid = fixedPieceGrid(tl, use.pieceSeconds);
  // One piece at a time on every core by default: measured faster than pieces side by side on one
  // thread each (docs/benchmarks.md, piece cache).
  const parallel = Math.max(1, Math.min(grid.length, o.parallel ?? 1));
  const threads = o.threads ?? Math.max(1, Math.floor(availableParallelism() / parallel));
  // Each input file hashed once per render.
  const hashes = new Map<string, string>();
  await Promise.all([...filePathsIn(tl.clips)].map(async (p) => { hashes.set(p, await sha256File(p)); }));
  const version = o.ffmpegVersion ?? await ffmpegVersion(o.ffmpegPath);
  const ext = tl.format === 'mp4' ? 'mp4' : 'webm';

  const pieces = grid.map((r) => ({
    r,
    path: `${o.workDir}/${partFileName(tl.format, r.index)}`,
    key: pieceKey({
      engineVersion: o.engineVersion, ffmpegVersion: version, tenant: use.tenant, timeline: tl,
      frames: { first: r.first, end: r.first + r.frames }, threads, contentHashes: hashes,
    }),
  }));
  let reused = 0;
  let bytesReused = 0;
  const todo: typeof pieces = [];
  for (const p of pieces) {
    if (await use.cache.fetch(use.tenant, p.key, ext, p.path)) {
      reused++;
      bytesReused += (await use.cache.get(use.tenant, p.key))?.bytes ?? 0;
    } else todo.push(p);
  }

  const totalFrames = todo.reduce((a, p) => a + p.r.frames, 0) || 1;
  const done = new Map<number, number>();
  const progress = () => o.onFraction((0.97 * [...done.values()].reduce((a, b) => a + b, 0)) / totalFrames);
  const local = new AbortController();
  const onAbort = () => local.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const audio = planRender(tl, { outputPath: `${o.workDir}/${audioFileName(tl.format)}`, workDir: o.workDir, streams: 'audio', name: 'audio' });
  try {
    await Promise.all([
      inPool(todo, parallel, async (p) => {
        const plan = planRender({ ...tl, range: { start: p.r.start, end: p.r.end } }, {
          outputPath: p.path, workDir: o.workDir, streams: 'video', name: `piece-${p.r.index}`, threads,
        });
        await runFfmpeg({
          ffmpegPath: o.ffmpegPath, args: buildFfmpegArgs(plan), sideFiles: plan.sideFiles, durationSeconds: plan.duration, signal: local.signal,
          onProgress: (f) => { done.set(p.r.index, f * p.r.frames); progress(); },
        });
        await use.cache.record(use.tenant, p.key, ext, p.path);
      }),
      runFfmpeg({ ffmpegPath: o.ffmpegPath, args: buildFfmpegArgs(audio), sideFiles: audio.sideFiles, durationSeconds: audio.duration, signal: local.signal }),
    ].map((p) => p.catch((e) => { local.abort(); throw e; })));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const join = planJoin(tl.format, pieces.map((p) => p.path), audio.outputPath, o.outputPath, o.workDir);
  await runFfmpeg({
    ffmpegPath: o.ffmpegPath, args: join.args, sideFiles: [{ path: join.listPath, content: join.list }],
    durationSeconds: tl.range.end - tl.range.start, signal, onProgress: (f) => o.onFraction(0.97 + 0.03 * f),
  });
  return { total: pieces.length, reused, bytesReused };
};
