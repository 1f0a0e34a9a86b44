/**
 * Test support: watches this process's child processes (the ffmpeg and ffprobe that the in-process
 * `montage serve` spawns) through /proc and keeps each one's peak resident memory. VmHWM is the
 * kernel's own high-water mark, so a poll at any moment before exit reads the true peak so far;
 * polling every few ms makes a missed final spike unlikely, and the count of processes seen shows
 * the watch was not vacuous.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ChildPeak { readonly pid: number; readonly comm: string; readonly args: string; peakKiB: number }

const statusField = (status: string, name: string): number | undefined => {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : undefined;
};

export function watchChildMemory(names: readonly string[] = ['ffmpeg', 'ffprobe'], intervalMs = 5) {
  const seen = new Map<number, ChildPeak>();
  const me = String(process.pid);
  const poll = () => {
    let entries: string[];
    try { entries = readdirSync('/proc'); } catch { return; }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        const ppid = stat.slice(close + 2).split(' ')[1];
        if (ppid !== me || !names.includes(comm)) continue;
        const hwm = statusField(readFileSync(`/proc/${e}/status`, 'utf8'), 'VmHWM');
        if (hwm === undefined) continue; // a zombie: its memory is gone
        const pid = Number(e);
        let rec = seen.get(pid);
        if (!rec) {
          const args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ');
          rec = { pid, comm, args, peakKiB: 0 };
          seen.set(pid, rec);
        }
        rec.peakKiB = Math.max(rec.peakKiB, hwm);
      } catch { /* exited between readdir and read */ }
    }
  };
  const timer = setInterval(poll, intervalMs);
  return {
    get children(): readonly ChildPeak[] { return [...seen.values()]; },
    stop() { clearInterval(timer); poll(); },
  };
}
