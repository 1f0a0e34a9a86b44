/**
 * Test support: the ffmpeg and ffprobe processes alive right now (zombies, which have exited, left
 * out) whose command line holds `text` (a test's own folder, a render id), read from /proc, so a
 * test can see that a render's processes ran and that none outlived it.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface RunningProcess { readonly pid: number; readonly comm: string; readonly args: string }

export function runningProcessesMentioning(text: string, names: readonly string[] = ['ffmpeg', 'ffprobe']): RunningProcess[] {
  const found: RunningProcess[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const state = stat.slice(close + 2, close + 3);
      if (!names.includes(comm) || state === 'Z') continue;
      const args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ');
      if (args.includes(text)) found.push({ pid: Number(e), comm, args });
    } catch { /* the process ended while being read */ }
  }
  return found;
}
