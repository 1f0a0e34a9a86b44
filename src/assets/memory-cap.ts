/**
 * A resident-memory cap for the ffmpeg and ffprobe children: polls /proc/PID/status (VmRSS) and
 * SIGKILLs the child the first time it is above the cap. Hostile input that gets past the probe's
 * size checks (a decoder that allocates more than the header promised, a filter graph that
 * multiplies frames) then ends as a typed failure instead of taking the host's memory.
 *
 * Why a watchdog and not RLIMIT_AS: ffmpeg reserves far more address space than it touches (a
 * glibc arena per thread, thread stacks), so an address-space limit loose enough for a 4K render
 * on many cores would catch little. On systems without /proc the watchdog does nothing.
 */
import { readFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';

/** Default caps (bytes of resident memory). ffprobe reads at most one frame of ≤ 64 Mpx. */
export const FFPROBE_MAX_RSS = 1024 ** 3;
export const FFMPEG_MAX_RSS = 4 * 1024 ** 3;

export interface MemoryCap {
  /** Set once the child was killed for passing the cap: the peak seen, in bytes. */
  readonly exceededBytes: number | undefined;
  stop(): void;
}

export function capChildMemory(child: ChildProcess, maxRssBytes: number, intervalMs = 100): MemoryCap {
  let exceededBytes: number | undefined;
  let busy = false;
  const pid = child.pid;
  const timer = pid === undefined ? undefined : setInterval(() => {
    if (busy) return;
    busy = true;
    readFile(`/proc/${pid}/status`, 'utf8').then((s) => {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(s);
      const rss = m ? Number(m[1]) * 1024 : 0;
      if (rss > maxRssBytes && exceededBytes === undefined && child.exitCode === null) {
        exceededBytes = rss;
        child.kill('SIGKILL');
      }
    }, () => {}).finally(() => { busy = false; });
  }, intervalMs);
  timer?.unref();
  const stop = () => { if (timer) clearInterval(timer); };
  child.once('exit', stop);
  return { get exceededBytes() { return exceededBytes; }, stop };
}

export const mib = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MiB`;
