/**
 * A chunked render over the fixed piece grid that reuses cached pieces: each piece's key
 * (piece-key.ts) is looked up in the index first; the misses are rendered at once while the hits
 * are copied in beside them (size and hash checked by the cache, so a missing or corrupt piece is
 * rendered after the others, never joined), and each run's pieces are recorded while the next run
 * and the join go on.
 * The audio is mixed once for the whole timeline, as in every chunked render, and the join copies
 * streams.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import type { PieceCacheUse } from '../ports/render-engine.ts';
import { audioFileName, partFileName, planJoin } from './chunk-plan.ts';
import { planRender } from './plan-render.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { runFfmpeg } from './run-ffmpeg.ts';
import { fixedPieceGrid } from './piece-grid.ts';
import { audioKey, filePathsIn, pieceKey } from './piece-key.ts';
import type { Timeline } from './timeline.ts';
import { sha256File, type HashFile } from './content-hashes.ts';
import { withKeyframes, type ReadKeyframes } from './source-keyframes.ts';
import { graphThreads } from './filter-threads.ts';

export interface PieceCount { readonly total: number; readonly reused: number; readonly bytesReused: number; readonly audioReused: boolean }

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


/** Runs `fn` over items with at most `limit` in flight. */
const inPool = async <T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
};

/** What every cached render takes, whole (renderCached) or one range (render-cached-range.ts). */
export interface CachedRenderBase {
  readonly tl: Timeline;
  readonly use: PieceCacheUse;
  readonly outputPath: string;
  readonly workDir: string;
  readonly ffmpegPath: string;
  readonly engineVersion: string;
  /** Overrides the probed ffmpeg version string (tests). */
  readonly ffmpegVersion?: string;
  /** Renders this process runs at once (RenderJob.rendersAtOnce): the graphs' share of the cores divides by it. */
  readonly rendersAtOnce?: number;
  readonly signal: AbortSignal;
  readonly onFraction: (f: number) => void;
  /** Hashes the input files that key the pieces (default: read each one; the engine passes its memo, content-hashes.ts). */
  readonly hashFile?: HashFile;
  /**
   * Reads a video source's keyframes (the engine: probe-keyframes.ts), so that a piece starting on
   * one reads its source from there, not from the keyframe before (source-keyframes.ts). Without
   * it, every read starts a frame and a half early, as in a plain render.
   */
  readonly readKeyframes?: ReadKeyframes;
}

export interface CachedRenderOptions extends CachedRenderBase {
  /** Piece processes at once (default: one a core and one more, at most MAX_PARALLEL_PIECES: pieceProcesses). */
  readonly parallel?: number;
  /** Pieces one process renders at most (default: `piecesPerProcess` of the frame size, spread over the processes: runLength). */
  readonly piecesPerProcess?: number;
  readonly threads?: number;
}

/**
 * Bytes one more piece adds to a run's ffmpeg until the process ends (ffmpeg 5.1 flushes and frees
 * every encoder at the end only, and frames wait for later pieces): measured ≈ 460 MB a 1080p
 * piece on ref-b (a run of 3: 1395 MB, one piece alone: 470 MB), ≈ 225 bytes a pixel
 * (docs/benchmarks.md, "Cold render with the piece cache").
 */
export const ENCODER_BYTES_PER_PIXEL = 225;
/**
 * Memory a run of pieces in one process may hold: 1 piece at 1080p and 4K, 2 at 720p, many at
 * small sizes. Every piece in a run first-touches memory of its own as a new process would (the
 * kernel zeroes it either way), so a run saves only a process's start-up and the source seek; at
 * 1080p one piece a process measured no more CPU (less in 7 of 8 paired rounds) and a third of
 * the peak memory of three a run (docs/benchmarks.md, "Cold render with the piece cache", both sections).
 */
export const RUN_ENCODER_BYTES = 512 * 1024 ** 2;

/** Pieces one ffmpeg process renders: as many as fit `RUN_ENCODER_BYTES`, at least one. */
export const piecesPerProcess = (frame: { width: number; height: number }, budget = RUN_ENCODER_BYTES): number =>
  Math.max(1, Math.floor(budget / (frame.width * frame.height * ENCODER_BYTES_PER_PIXEL)));

/** Consecutive pieces grouped into runs of at most `max`, each run contiguous on the grid. */
export const pieceRuns = <T extends { readonly r: { readonly index: number } }>(todo: readonly T[], max: number): T[][] => {
  const runs: T[][] = [];
  for (const p of todo) {
    const last = runs.at(-1);
    if (last && last.length < max && last.at(-1)!.r.index + 1 === p.r.index) last.push(p);
    else runs.push([p]);
  }
  return runs;
};

/**
 * Pieces a run by default: as many as fit in memory (`fit`, piecesPerProcess), but no more than
 * makes one run for each of the `parallel` processes. Two 720p pieces fit one process, where their
 * two single-thread encoders took turns beside an idle core: a cold 20 s 720p render took 1.7× the
 * wall of the cache off (docs/benchmarks.md, "Cold render with the piece cache: runs across the
 * processes, longest first").
 */
export const runLength = (pieces: number, parallel: number, fit: number): number =>
  Math.max(1, Math.min(fit, Math.ceil(pieces / parallel)));

/**
 * Runs in the order they start: the most frames first (of as many, the earlier on the timeline),
 * so that the render ends on its shortest pieces rather than one long piece beside idle cores.
 */
export const longestFirst = <T extends { readonly r: { readonly index: number; readonly frames: number } }>(runs: readonly T[][]): T[][] => {
  const frames = (run: readonly T[]) => run.reduce((a, p) => a + p.r.frames, 0);
  return [...runs].sort((a, b) => frames(b) - frames(a) || a[0].r.index - b[0].r.index);
};

/** Piece processes at once by default, whatever the cores: each holds a graph and an encoder in memory. */
export const MAX_PARALLEL_PIECES = 4;

/**
 * Piece processes at once and x264 threads each. By default one process a core and one more (at
 * most MAX_PARALLEL_PIECES; with `threads` given, as many as its threads fit in the cores), each
 * encoder on its share of the cores (threads as for one a core, so the keys are those of one a
 * core). On 2 cores the third process took an edited ref-b from 20.5–22.2 s to 19.1–20.5 s and a
 * cold one from 43.2–44.7 s to 40.4–42.6 s (docs/benchmarks.md, "A piece process a core, and one
 * more"). Pieces are separate processes anyway, and one graph a core is cheaper
 * than one process at a time with x264 spread over every core: ref-b cold with the cache on and
 * empty took 0.98–1.00× the wall of the cache off (1.03–1.06× its CPU) against 1.08–1.11×
 * (1.06–1.09×) one at a time (docs/benchmarks.md, "Cold render with the piece cache: a piece process
 * a core"). One process at a time gets x264's own default, 1.5 threads a core, as a plain render
 * has. Threads are explicit because they key the pieces.
 */
export const pieceProcesses = (cores: number, o: { parallel?: number; threads?: number } = {}): { parallel: number; threads: number } => {
  // One more than the cores (when they are fewer than MAX_PARALLEL_PIECES): a piece process keeps
  // about one core busy, so with exactly one a core the render's last piece ran alone beside an
  // idle core; the extra one starts the next piece while the others run.
  const fit = o.threads ? Math.floor(cores / o.threads) : cores + 1;
  const parallel = Math.max(1, o.parallel ?? Math.min(MAX_PARALLEL_PIECES, fit));
  const threads = o.threads ?? (parallel === 1 ? Math.max(1, Math.floor((cores * 3) / 2)) : Math.max(1, Math.floor(cores / parallel)));
  return { parallel, threads };
};

export const renderCached = async (o: CachedRenderOptions): Promise<PieceCount> => {
  const { tl, use, signal } = o;
  const grid = fixedPieceGrid(tl, use.pieceSeconds);
  const cores = availableParallelism();
  const { parallel, threads } = pieceProcesses(cores, o);
  // Each input file hashed once per render (or once per engine, by its identity: content-hashes.ts).
  const hashFile = o.hashFile ?? sha256File;
  const hashes = new Map<string, string>();
  // Asked beside the hashing; a failure is thrown below, once the hashes are in.
  const asked = Promise.resolve(o.ffmpegVersion ?? ffmpegVersion(o.ffmpegPath));
  asked.catch(() => {});
  await Promise.all([...filePathsIn([tl.clips, tl.soundtrack])].map(async (p) => { hashes.set(p, await hashFile(p)); }));
  const version = await asked;
  const ext = tl.format === 'mp4' ? 'mp4' : 'webm';

  const pieces = grid.map((r) => ({
    r,
    path: `${o.workDir}/${partFileName(tl.format, r.index)}`,
    key: pieceKey({
      engineVersion: o.engineVersion, ffmpegVersion: version, tenant: use.tenant, timeline: tl,
      frames: { first: r.first, end: r.first + r.frames }, threads, contentHashes: hashes,
    }),
  }));
  // The audio is mixed once for the whole timeline and cached under its own key (audioKey: only
  // what sounds shapes it).
  const audioPath = `${o.workDir}/${audioFileName(tl.format)}`;
  const audioExt = audioFileName(tl.format).split('.').pop()!;
  const aKey = audioKey({ engineVersion: o.engineVersion, ffmpegVersion: version, tenant: use.tenant, timeline: tl, contentHashes: hashes });
  // Which pieces (and whether the audio) the index holds, all read at once and once only (no bytes
  // read yet): the others are rendered at once, and the held ones are copied in (and checked
  // against the entry read here) beside that rendering. A held piece whose bytes turn out missing
  // or corrupt is rendered after the rest, never joined; a held audio that does is mixed then.
  const [held, heldAudioEntry] = await Promise.all([
    Promise.all(pieces.map((p) => use.cache.get(use.tenant, p.key))),
    use.cache.get(use.tenant, aKey),
  ]);
  const hits = pieces.flatMap((p, i) => (held[i]?.ext === ext ? [{ ...p, held: held[i]! }] : []));
  const todo = pieces.filter((_, i) => held[i]?.ext !== ext);
  const heldAudio = heldAudioEntry?.ext === audioExt ? heldAudioEntry : undefined;
  const perRun = o.piecesPerProcess ?? runLength(todo.length, parallel, piecesPerProcess(tl.frame));
  // When the audio must be mixed and one run covers the whole timeline (a cold render that fits one
  // process) it is mixed in that process, as a plain render does; otherwise by a process of its own
  // beside the runs (a run's process would otherwise go on decoding the sources past its range for
  // the sound).
  const audioInRun = !heldAudio && todo.length === pieces.length && todo.length <= perRun;

  let reused = 0;
  let bytesReused = 0;
  const failed: typeof pieces = [];
  const copyHits = inPool(hits, 4, async (p) => {
    // fetch copies only bytes whose size and hash match the index entry read above.
    if (await use.cache.fetch(use.tenant, p.key, ext, p.path, p.held)) {
      reused++;
      bytesReused += p.held.bytes;
    } else failed.push(p);
  });
  let audioReused = false;
  const copyAudio = heldAudio && use.cache.fetch(use.tenant, aKey, audioExt, audioPath, heldAudio).then((ok) => {
    audioReused = ok;
    if (ok) bytesReused += heldAudio.bytes;
  });
  // Recording a run's pieces (a copy into the store and its hash) goes on beside the next run and
  // the join, which only read the files; the render ends once every record is in.
  const recording: Promise<void>[] = [];
  let recordError: unknown;
  const record = (key: string, e: string, path: string) => {
    recording.push(use.cache.record(use.tenant, key, e, path).then(() => {}, (err) => { recordError ??= err; }));
  };

  let totalFrames = todo.reduce((a, p) => a + p.r.frames, 0) || 1;
  const done = new Map<number, number>();
  const progress = () => o.onFraction(Math.min(0.97, (0.97 * [...done.values()].reduce((a, b) => a + b, 0)) / totalFrames));
  const local = new AbortController();
  const onAbort = () => local.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  // The pieces are planned from the timeline with the keyframes of the sources they play (the keys
  // above are made without them: they change where a read starts, not a pixel).
  const planTl = o.readKeyframes && todo.length
    ? await withKeyframes(tl, todo[0].r.first, todo.at(-1)!.r.first + todo.at(-1)!.r.frames, o.readKeyframes)
    : tl;
  const renderRuns = (runs: (typeof pieces)[]) => {
    // Each process's graph gets its share of the cores when several run at once (not keyed: no pixel changes).
    const filterThreads = graphThreads(o, Math.min(parallel, runs.length), cores);
    return inPool(longestFirst(runs), parallel, (run) => renderRun(run, filterThreads));
  };
  const renderRun = async (run: (typeof pieces), filterThreads: number | undefined) => {
    const first = run[0].r;
    const last = run.at(-1)!.r;
    const frames = last.first + last.frames - first.first;
    const plan = planRender({ ...planTl, range: { start: first.start, end: last.end } }, {
      outputPath: run[0].path, workDir: o.workDir, name: `run-${first.index}`, threads, filterThreads,
      pieces: run.map((p) => ({ frames: p.r.frames, outputPath: p.path })),
      ...(audioInRun ? { piecesAudio: { range: tl.range, outputPath: audioPath } } : {}),
    });
    await runFfmpeg({
      ffmpegPath: o.ffmpegPath, args: buildFfmpegArgs(plan), sideFiles: plan.sideFiles, durationSeconds: plan.duration, signal: local.signal,
      onProgress: (f) => { done.set(first.index, f * frames); progress(); },
    });
    for (const p of run) record(p.key, ext, p.path);
  };
  const mixAudio = () => {
    const audio = planRender(tl, { outputPath: audioPath, workDir: o.workDir, streams: 'audio', name: 'audio' });
    return runFfmpeg({ ffmpegPath: o.ffmpegPath, args: buildFfmpegArgs(audio), sideFiles: audio.sideFiles, durationSeconds: audio.duration, signal: local.signal });
  };
  try {
    await Promise.all([
      renderRuns(pieceRuns(todo, perRun)),
      copyHits,
      copyAudio,
      !heldAudio && !audioInRun && mixAudio(),
    ].map((p) => Promise.resolve(p).catch((e) => { local.abort(); throw e; })));
    if (failed.length) {
      failed.sort((a, b) => a.r.index - b.r.index);
      totalFrames += failed.reduce((a, p) => a + p.r.frames, 0);
    }
    await Promise.all([
      failed.length && renderRuns(pieceRuns(failed, perRun)),
      heldAudio && !audioReused && mixAudio(),
    ].map((p) => Promise.resolve(p).catch((e) => { local.abort(); throw e; })));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (!audioReused) record(aKey, audioExt, audioPath);
  const join = planJoin(tl.format, pieces.map((p) => p.path), audioPath, o.outputPath, o.workDir);
  await runFfmpeg({
    ffmpegPath: o.ffmpegPath, args: join.args, sideFiles: [{ path: join.listPath, content: join.list }],
    durationSeconds: tl.range.end - tl.range.start, signal, onProgress: (f) => o.onFraction(0.97 + 0.03 * f),
  });
  await Promise.all(recording);
  if (recordError) throw recordError;
  return { total: pieces.length, reused, bytesReused, audioReused };
};
