/**
 * The one place that spawns ffmpeg: writes the plan's side files, runs the process, turns its
 * `-progress` output into fractions, stops it promptly on abort, and maps failures to errors.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { MontageError } from '../errors/registry.ts';
import type { SideFile } from './filter-graph.ts';
import { FFMPEG_MAX_RSS, capChildMemory, mib } from '../assets/memory-cap.ts';
import { ffmpegEnv } from './ffmpeg-malloc.ts';

export interface RunFfmpegOptions {
  readonly ffmpegPath: string;
  readonly args: readonly string[];
  readonly sideFiles?: readonly SideFile[];
  /** Seconds of output expected, to turn ffmpeg's out_time into a fraction. */
  readonly durationSeconds: number;
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
  /** How long ffmpeg gets to exit after SIGTERM before SIGKILL (ms). */
  readonly killGraceMs?: number;
  /** Resident memory ffmpeg may use before it is killed (bytes; default FFMPEG_MAX_RSS, 4 GiB). */
  readonly maxRssBytes?: number;
}

const STDERR_KEEP = 16 * 1024;

export const ffmpegMissing = (path: string, tool = 'ffmpeg') => new MontageError('MONTAGE_E_FFMPEG_MISSING',
  `${tool} was not found at "${path}". Install it (Debian/Ubuntu: apt-get install ffmpeg) or set MONTAGE_${tool.toUpperCase()} to its path.`);

export const runFfmpeg = async (opts: RunFfmpegOptions): Promise<void> => {
  await Promise.all((opts.sideFiles ?? []).map((f) => writeFile(f.path, f.content)));
  if (opts.signal?.aborted) throw canceled();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(opts.ffmpegPath, opts.args, { stdio: ['ignore', 'pipe', 'pipe'], env: ffmpegEnv(process.env) });
    const maxRss = opts.maxRssBytes ?? FFMPEG_MAX_RSS;
    const cap = capChildMemory(child, maxRss);
    let stderr = '';
    let buf = '';
    let aborted = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-STDERR_KEEP); });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^out_time_us=(\d+)/.exec(line);
        if (m && opts.onProgress && opts.durationSeconds > 0) {
          opts.onProgress(Math.min(1, Number(m[1]) / 1e6 / opts.durationSeconds));
        }
      }
    });
    const onAbort = () => {
      aborted = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 1000).unref();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e.code === 'ENOENT' ? ffmpegMissing(opts.ffmpegPath) : new MontageError('MONTAGE_E_RENDER_FAILED', `ffmpeg could not start: ${e.message}`, { cause: e }));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      cap.stop();
      if (aborted) return reject(canceled());
      if (cap.exceededBytes !== undefined) {
        // Not retryable: the same inputs would take the same memory on the next try.
        return reject(new MontageError('MONTAGE_E_LIMIT_EXCEEDED',
          `ffmpeg used more than ${mib(maxRss)} of memory and was stopped; an input is larger than it looks (check image and video sizes).`));
      }
      if (code === 0) return resolve();
      const tail = stderr.trim().split('\n').slice(-6).join('\n');
      reject(new MontageError('MONTAGE_E_RENDER_FAILED',
        `ffmpeg failed (${sig ? `signal ${sig}` : `exit ${code}`}): ${tail || 'no message'}`));
    });
  });
};

const canceled = () => new MontageError('MONTAGE_E_RENDER_CANCELED', 'The render was canceled.');
