/**
 * The port through which the service (HTTP API, workers) uses the render engine. The CLI and the
 * worker both go through it; `src/render/engine.ts` is its one implementation.
 */
import type { Composition } from '../composition/schema.ts';
import type { FieldProblem } from '../errors/registry.ts';
import type { PieceCache } from './piece-cache.ts';
import type { InputMemo } from './input-memo.ts';

/** What a user learns from validating a composition without rendering it. */
export interface CompositionSummary {
  /** Seconds of the rendered result (after `range`), 0 for stills. */
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly format: string;
  readonly warnings: readonly FieldProblem[];
}

/**
 * Turns a composition `src` into a local file path. The CLI resolves relative paths and https URLs;
 * the service resolves `asset:ID` and https URLs through the safe fetcher and never local paths.
 * `pointer` is the JSON Pointer of the `src` field, for error messages.
 * Must throw a MontageError (e.g. MONTAGE_E_FETCH_FORBIDDEN, MONTAGE_E_ASSET_NOT_FOUND) on refusal.
 */
export type ResolveSrc = (src: string, pointer: string, signal: AbortSignal) => Promise<string>;

export type RenderStage = 'preparing' | 'rendering' | 'finalizing';

export interface RenderProgress {
  readonly stage: RenderStage;
  /** 0–1 over the whole render. */
  readonly fraction: number;
  /** Estimated seconds left, when known. */
  readonly etaSeconds?: number;
}

export interface RenderedFile {
  readonly path: string;
  readonly contentType: string;
  readonly bytes: number;
}

export interface RenderOutputs {
  readonly video: RenderedFile;
  readonly poster?: RenderedFile;
  readonly thumbnail?: RenderedFile;
  readonly summary: CompositionSummary;
  /**
   * With a piece cache: how many pieces the video had and how many were reused from the cache,
   * whether the whole-timeline audio was, and the bytes reused (pieces and audio). A video-only
   * range (a piece of a distributed render) is one piece, with its key in `keys`.
   */
  readonly pieces?: { readonly total: number; readonly reused: number; readonly bytesReused: number; readonly audioReused?: boolean; readonly keys?: readonly string[] };
}

/** Reuse of identical pieces across renders (issue 17): where pieces live and whose they are. */
export interface PieceCacheUse {
  readonly cache: PieceCache;
  readonly tenant: string;
  /** Piece length in seconds, rounded to whole keyframe intervals (default: 4 s for 1080p30, longer for smaller outputs, at most 60 s). */
  readonly pieceSeconds?: number;
  /** Pieces one ffmpeg process renders at most (default: as many as ~1 GiB of encoders holds, 4 at 1080p). */
  readonly piecesPerProcess?: number;
}

/**
 * How long a render may run once its sources are fetched and probed: `baseMs` plus
 * `msPerOutputSecond` for each second of output (of this piece, for a piece of a distributed
 * render). Past it every ffmpeg process of the render is stopped and the render fails with
 * MONTAGE_E_RENDER_TIMEOUT (src/render/render-deadline.ts).
 */
export interface RenderTimeLimit {
  readonly baseMs: number;
  readonly msPerOutputSecond: number;
  /** The setting it came from as written (`MONTAGE_RENDER_TIMEOUT=5m+20x`, `--timeout 30`), named in the error's fix. */
  readonly setting: string;
}

export interface RenderJob {
  /** A composition that passed validation (placeholders already substituted). */
  readonly composition: Composition;
  readonly resolveSrc: ResolveSrc;
  /** Scratch directory owned by this job; the engine writes intermediates here. */
  readonly workDir: string;
  /** Where the main output goes; poster/thumbnail land beside it as NAME.poster.jpg / NAME.thumbnail.jpg. */
  readonly outputPath: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: RenderProgress) => void;
  /**
   * Split the video into this many time ranges rendered by parallel ffmpeg processes (default 1).
   * `'auto'`: as many as pay on this machine's cores for this output (src/render/auto-chunks.ts;
   * mp4 up to 720p30 and 8 s or longer), else 1. What `montage render` does without `--chunks`.
   */
  readonly chunks?: number | 'auto';
  /** Threads per ffmpeg process (default: ffmpeg's choice). */
  readonly threads?: number;
  /**
   * Renders this process runs at once on the same cores (a worker's MONTAGE_WORKER_CONCURRENCY;
   * default 1). Each render's filter graphs take their share of the cores (filter-threads.ts);
   * encoder threads are left as they are (they key cached pieces). `threads`, where set, wins.
   */
  readonly rendersAtOnce?: number;
  /**
   * A GIF output plays once instead of looping forever. Not a composition field (the contract's
   * GIFs loop): Shotstack's `output.repeat: false`, which the /edit routes keep on the render's
   * metadata (shotstackGifPlaysOnce) and the CLI takes from the Edit.
   */
  readonly gifPlaysOnce?: boolean;
  /**
   * Render only the picture (a video-only part of a distributed render, for `output.range`) or
   * only the sound of the whole timeline (mp4 → AAC in .m4a, webm → Opus in .webm). Default both.
   * Parts make no poster or thumbnail; `join` does.
   */
  readonly streams?: 'both' | 'video' | 'audio';
  /**
   * The service's duration limit (seconds of output). Checked again once the media is probed,
   * because an `"auto"` length is unknown at submit: the engine then refuses with
   * MONTAGE_E_LIMIT_EXCEEDED before running ffmpeg. Unset = no limit (the CLI).
   */
  readonly maxDurationSeconds?: number;
  /** The render's time limit (RenderTimeLimit); unset = none (the CLI without --timeout). */
  readonly timeLimit?: RenderTimeLimit;
  /**
   * Render mp4/webm over the fixed piece grid, reusing every piece whose key is cached for this
   * tenant and recording the others. `chunks` then bounds the piece processes run at once
   * (default: one a core and one more, at most 4; render-cached.ts).
   * With `streams: 'video'` (a piece of a distributed render), the range is one piece: reused
   * when its key is cached for this tenant, else rendered and recorded.
   */
  readonly pieceCache?: PieceCacheUse;
  /**
   * What earlier renders learned of the same local files (probes, keyframe lists, hashes), and
   * where this one's is kept (src/render/remembered-inputs.ts). The CLI's `--cache DIR` gives one.
   */
  readonly inputMemo?: InputMemo;
}

/** One time range of a chunked render, on the output's frame grid and keyframe interval. */
export interface ChunkRange {
  readonly index: number;
  /** Timeline seconds. */
  readonly start: number;
  readonly length: number;
  readonly frames: number;
}

export interface JoinJob {
  readonly composition: Composition;
  /** Video-only part files, in timeline order, as rendered with `streams: 'video'` and each range. */
  readonly parts: readonly string[];
  /** The whole timeline's sound, as rendered with `streams: 'audio'`. */
  readonly audio: string;
  readonly workDir: string;
  readonly outputPath: string;
  readonly signal?: AbortSignal;
}

export interface RenderEngine {
  /**
   * Checks a raw composition (placeholders substituted with `merge` overriding its own), or throws
   * MontageError(MONTAGE_E_INVALID_COMPOSITION) listing every problem. `opts.filled`: the
   * composition was checked and filled before (a stored render's, checked again by a worker): its
   * strings are taken as they are, so a merge value that reads like `{{NAME}}` stays text.
   */
  validate(raw: unknown, merge?: Record<string, string | number | boolean>, opts?: { readonly filled?: boolean }): { composition: Composition; summary: CompositionSummary };
  render(job: RenderJob): Promise<RenderOutputs>;
  /**
   * Splits a composition into about `parts` ranges for distributed rendering (fetching and probing
   * what it must to know the timeline). Render each with `output.range` and `streams: 'video'`,
   * the sound once with `streams: 'audio'`, then `join`. Fewer ranges come back when the render is
   * shorter than `parts` keyframe intervals; formats other than mp4/webm give one range.
   */
  planChunks(job: Pick<RenderJob, 'composition' | 'resolveSrc' | 'workDir' | 'signal' | 'maxDurationSeconds'> & {
    readonly parts: number;
    /**
     * Cut on the piece cache's fixed grid instead (piece-grid.ts), so the ranges are pieces that
     * other renders share: pieces of `seconds`, or by default the output's default piece length
     * but at most `atMostSeconds`. `parts` is then ignored.
     */
    readonly pieceGrid?: { readonly seconds?: number; readonly atMostSeconds?: number };
  }): Promise<readonly ChunkRange[]>;
  /** Joins parts without re-encoding, muxes the audio, and makes the poster and thumbnail. */
  join(job: JoinJob): Promise<RenderOutputs>;
}
