/**
 * One ffprobe child under a resident-memory cap and a time limit: what every probe of a file runs
 * (probe-media.ts, probe-keyframes.ts, the engine's durations of rendered parts). It resolves with
 * ffprobe's output or with why it failed, and never rejects: each caller says what a failure
 * means (a typed error naming the field, or a fallback).
 */
import { execFile } from 'node:child_process';
import { FFPROBE_MAX_RSS, capChildMemory } from './memory-cap.ts';

export interface FfprobeRunOptions {
  readonly ffprobePath: string;
  /** Default 20 s. */
  readonly timeoutMs?: number;
  /** Largest output kept (bytes; default 4 MiB): past it the run fails. */
  readonly maxBuffer?: number;
  readonly signal?: AbortSignal;
  /** Resident memory ffprobe may use before it is killed (bytes; default FFPROBE_MAX_RSS). */
  readonly maxRssBytes?: number;
}

export type FfprobeResult =
  | { readonly ok: true; readonly stdout: string }
  /** `overMemoryBytes`: set when the cap killed it (the peak seen); `maxRssBytes`: the cap it ran under. */
  | { readonly ok: false; readonly error: Error; readonly stderr: string; readonly overMemoryBytes?: number; readonly maxRssBytes: number };

export const runFfprobe = (args: readonly string[], o: FfprobeRunOptions): Promise<FfprobeResult> =>
  new Promise((resolve) => {
    const maxRssBytes = o.maxRssBytes ?? FFPROBE_MAX_RSS;
    const child = execFile(o.ffprobePath, [...args], { timeout: o.timeoutMs ?? 20_000, maxBuffer: o.maxBuffer ?? 4 << 20, signal: o.signal },
      (err, stdout, stderr) => {
        cap.stop();
        resolve(err
          ? { ok: false, error: err, stderr: String(stderr), ...(cap.exceededBytes !== undefined ? { overMemoryBytes: cap.exceededBytes } : {}), maxRssBytes }
          : { ok: true, stdout: String(stdout) });
      });
    const cap = capChildMemory(child, maxRssBytes);
  });
