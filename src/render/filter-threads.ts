/**
 * Filter graph threads of each of `processes` ffmpegs sharing `cores` (chunk parts, piece
 * processes): their share, or ffmpeg's default (one a core) for a process alone. Slice threads
 * beyond a process's share only wait on each other, and a filter set up again on a frame (a scaler
 * whose size changes) starts its threads each time: two ref-a parts side by side on 2 cores took
 * 3.5–3.9 s with the default, 2.6–2.9 s with one thread each, the same pixels (docs/benchmarks.md,
 * "Slice threads: one a process where processes share the cores"). Filter threads change no pixel,
 * so they are not part of a piece's key. Where the operator sets each ffmpeg's threads
 * (MONTAGE_FFMPEG_THREADS: a worker's share of a shared machine), the graph takes that number instead.
 */
export const filterThreadsOf = (cores: number, processes: number): number | undefined =>
  (processes > 1 ? Math.max(1, Math.floor(cores / processes)) : undefined);
