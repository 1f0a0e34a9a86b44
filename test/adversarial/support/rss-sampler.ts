/**
 * Test support: samples the resident memory (VmRSS, /proc/PID/status) of named processes at a
 * fixed interval, and tells whether each stayed flat after a warm-up.
 *
 * "Flat" compares the median of the first and of the last third of the samples taken after the
 * warm-up: medians, because the V8 heap breathes with garbage collection; thirds, because a leak
 * shows as a climb from one end of the run to the other. A process restarted meanwhile (its pid
 * changed) starts over: its samples before the restart are dropped.
 */
import { readFileSync } from 'node:fs';

export interface RssSeries {
  readonly name: string;
  /** KiB, one per interval after the warm-up (and after the last restart). */
  readonly samplesKiB: readonly number[];
  readonly earlyKiB: number;
  readonly lateKiB: number;
  readonly peakKiB: number;
  /** (late − early) / early, e.g. 0.04 for 4 % growth; negative when it shrank. */
  readonly drift: number;
}

export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch { return undefined; }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * `processes`: name → current pid (undefined while it is down). Samples every `intervalMs`; those
 * in the first `warmupMs` are not kept.
 */
export function sampleRss(processes: Readonly<Record<string, () => number | undefined>>, o: { readonly intervalMs: number; readonly warmupMs: number }) {
  const started = Date.now();
  const series = new Map<string, { pid: number | undefined; samples: number[] }>();
  const poll = () => {
    const warm = Date.now() - started >= o.warmupMs;
    for (const [name, pidOf] of Object.entries(processes)) {
      const pid = pidOf();
      let s = series.get(name);
      if (!s || s.pid !== pid) { s = { pid, samples: [] }; series.set(name, s); }
      const kib = pid === undefined ? undefined : rssKiB(pid);
      if (warm && kib !== undefined) s.samples.push(kib);
    }
  };
  const timer = setInterval(poll, o.intervalMs);
  poll();
  return {
    /** Stops sampling and returns each process's series. */
    stop(): RssSeries[] {
      clearInterval(timer);
      return [...series.entries()].map(([name, { samples }]) => {
        const third = Math.max(1, Math.floor(samples.length / 3));
        const earlyKiB = median(samples.slice(0, third));
        const lateKiB = median(samples.slice(-third));
        return { name, samplesKiB: samples, earlyKiB, lateKiB, peakKiB: Math.max(0, ...samples), drift: earlyKiB > 0 ? (lateKiB - earlyKiB) / earlyKiB : 0 };
      });
    },
  };
}

export const describeRss = (s: RssSeries): string =>
  `${s.name}: ${(s.earlyKiB / 1024).toFixed(0)} → ${(s.lateKiB / 1024).toFixed(0)} MiB (${s.drift >= 0 ? '+' : ''}${(s.drift * 100).toFixed(1)} %, peak ${(s.peakKiB / 1024).toFixed(0)} MiB, ${s.samplesKiB.length} samples)`;
