import { availableParallelism } from 'node:os';

/**
 * Filter graph threads of each of `processes` ffmpegs sharing `cores` (chunk parts, piece
 * processes): their share, or ffmpeg's default (one a core) for a process alone. Slice threads
 * beyond a process's share only wait on each other, and a filter set up again on a frame (a scaler
 * whose size changes) starts its threads each time: two ref-a parts side by side on 2 cores took
 * 3.5–3.9 s with the default, 2.6–2.9 s with one thread each, the same pixels (docs/benchmarks.md,
 * "Slice threads: one a process where processes share the cores"). Filter threads change no pixel,
 * so they are not part of a piece's key.
 */
export const filterThreadsOf = (cores: number, processes: number): number | undefined =>
  (processes > 1 ? Math.max(1, Math.floor(cores / processes)) : undefined);

/**
 * The graph threads of one of a render's `processes` ffmpegs at once (1: a lone render or range):
 * the operator's per-ffmpeg `threads` (MONTAGE_FFMPEG_THREADS) where set, else its share of the
 * cores among every ffmpeg of the `rendersAtOnce` renders (RenderJob.rendersAtOnce, default 1).
 */
export const graphThreads = (o: { readonly threads?: number; readonly rendersAtOnce?: number }, processes = 1, cores = availableParallelism()): number | undefined =>
  o.threads ?? filterThreadsOf(cores, processes * (o.rendersAtOnce ?? 1));
