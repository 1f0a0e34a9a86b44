/**
 * One video-only range of a distributed render through the piece cache (issue 17): the range is a
 * piece, keyed as every piece is (piece-key.ts: its absolute frames, the clips it shows, the bytes
 * they read, the encoder, the tenant). A hit is copied to the output path (the cache checks its size
 * and hash, so a missing or corrupt piece is rendered again, never joined); a miss is rendered as
 * any video-only range and recorded. With the index in the central store and the bytes in the
 * object store, any worker reuses any piece of its tenant.
 *
 * The key is the one a cached whole render (render-cached.ts) gives the same frames with the same
 * encoder thread count, so both kinds of render share pieces when their grids agree.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { clipOverlapsFrames, filePathsIn, pieceKey } from './piece-key.ts';
import { planRender } from './plan-render.ts';
import { ffmpegVersion, type CachedRenderBase } from './render-cached.ts';
import { runFfmpeg } from './run-ffmpeg.ts';
import { sha256File } from './content-hashes.ts';
import { withKeyframes } from './source-keyframes.ts';
import { graphThreads } from './filter-threads.ts';

/** A cached render of one range: the prepared timeline's `range` is the piece. */
export interface CachedRangeOptions extends CachedRenderBase {
  /** Encoder threads (part of the key); default: every core, as a cached whole render's one piece at a time. */
  readonly threads?: number;
}

export interface CachedRange {
  /** The piece's key. */
  readonly key: string;
  readonly reused: boolean;
  /** Bytes copied from the cache (0 when rendered). */
  readonly bytesReused: number;
}

export const renderCachedRange = async (o: CachedRangeOptions): Promise<CachedRange> => {
  const { tl, use } = o;
  const F = tl.frame.fps;
  const first = Math.round(tl.range.start * F);
  const end = Math.max(first + 1, Math.round(tl.range.end * F));
  const threads = o.threads ?? availableParallelism();
  // Only the files of the clips this piece shows enter its key: hash those, not the whole timeline's.
  const shown = tl.clips.filter((c) => c.asset.type !== 'audio' && clipOverlapsFrames(c, F, first, end));
  const hashes = new Map<string, string>();
  await Promise.all([...filePathsIn(shown)].map(async (p) => { hashes.set(p, await (o.hashFile ?? sha256File)(p)); }));
  const key = pieceKey({
    engineVersion: o.engineVersion, ffmpegVersion: o.ffmpegVersion ?? await ffmpegVersion(o.ffmpegPath),
    tenant: use.tenant, timeline: tl, frames: { first, end }, threads, contentHashes: hashes,
  });
  const ext = tl.format === 'mp4' ? 'mp4' : 'webm';
  if (await use.cache.fetch(use.tenant, key, ext, o.outputPath)) {
    o.onFraction(1);
    return { key, reused: true, bytesReused: (await stat(o.outputPath)).size };
  }
  // Planned with the keyframes of the sources it plays (render-cached.ts): the key above is made without them.
  const planTl = o.readKeyframes ? await withKeyframes(tl, first, end, o.readKeyframes) : tl;
  const plan = planRender(planTl, { outputPath: o.outputPath, workDir: o.workDir, streams: 'video', threads, filterThreads: graphThreads(o) });
  await runFfmpeg({ ffmpegPath: o.ffmpegPath, args: buildFfmpegArgs(plan), sideFiles: plan.sideFiles, durationSeconds: plan.duration, onProgress: o.onFraction, signal: o.signal });
  if (o.signal.aborted) throw o.signal.reason;
  await use.cache.record(use.tenant, key, ext, o.outputPath);
  return { key, reused: false, bytesReused: 0 };
};
