/**
 * The keyframe instants of a video file's first video stream, within some source intervals, from
 * ffprobe's packet list (no decoding: a few hundredths of a second of CPU beyond ffprobe's start-up
 * for a 20 s 1080p file). A render in pieces reads them to start a piece's read at a keyframe on
 * its first instant (frame-rate.ts, seekLead). Undefined where they could not be read: the caller
 * then seeks as without them, never failing the render.
 */
import { inputGuardArgs } from './ffmpeg-input-policy.ts';
import { runFfprobe } from './run-ffprobe.ts';

/** Source seconds whose keyframes are wanted: `to` undefined reads to the end of the file. */
export interface SourceSpan { readonly from: number; readonly to?: number }

export interface KeyframeProbeOptions {
  readonly ffprobePath: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

interface PacketJson {
  packets?: Array<{ pts?: number; flags?: string }>;
  streams?: Array<{ time_base?: string }>;
  format?: { start_time?: string };
}

/**
 * Keyframe instants from ffprobe's answer: seconds from the file's start (its `start_time`, which
 * is where ffmpeg's `-ss` counts from), floored to the microsecond, so that a seek to one (`-ss`
 * takes microseconds) never lands after its frame. Ascending, without repeats.
 */
export const keyframesOf = (j: PacketJson): number[] | undefined => {
  const [n, d] = (j.streams?.[0]?.time_base ?? '').split('/').map((x) => BigInt(/^\d+$/.test(x) ? x : '0'));
  if (!n || !d) return undefined;
  const start = Number(j.format?.start_time ?? '0');
  const startUs = BigInt(Math.round((Number.isFinite(start) ? start : 0) * 1e6));
  const us = new Set<bigint>();
  for (const p of j.packets ?? []) {
    if (!p.flags?.startsWith('K') || typeof p.pts !== 'number' || !Number.isSafeInteger(p.pts) || p.pts < 0) continue;
    const rel = (BigInt(p.pts) * 1_000_000n * n) / d - startUs;
    if (rel >= 0n) us.add(rel);
  }
  return [...us].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((u) => Number(u) / 1e6);
};

/** The interval list of ffprobe's `-read_intervals` (each read from the keyframe at or before its start). */
export const readIntervals = (spans: readonly SourceSpan[]): string =>
  spans.map((s) => `${Math.max(0, s.from).toFixed(6)}%${s.to === undefined ? '' : s.to.toFixed(6)}`).join(',');

/** ffprobe's packet list of the first video stream within `intervals` (absolute times: the file's clock). */
const listPackets = async (path: string, intervals: string, opts: KeyframeProbeOptions): Promise<PacketJson | undefined> => {
  const r = await runFfprobe(['-v', 'error', ...inputGuardArgs(), '-select_streams', 'v:0', '-read_intervals', intervals,
    '-show_entries', 'packet=pts,flags:stream=time_base:format=start_time', '-print_format', 'json', path],
  { ffprobePath: opts.ffprobePath, timeoutMs: opts.timeoutMs, maxBuffer: 64 << 20, signal: opts.signal });
  if (!r.ok) return undefined;
  try {
    return JSON.parse(r.stdout) as PacketJson;
  } catch {
    return undefined;
  }
};

export const probeKeyframes = async (path: string, spans: readonly SourceSpan[], opts: KeyframeProbeOptions): Promise<number[] | undefined> => {
  if (spans.length === 0) return undefined;
  let j = await listPackets(path, readIntervals(spans), opts);
  // `-read_intervals` takes the file's clock, the spans count from its start: a file whose clock
  // starts later than the spans' margins (MPEG-TS: 1.4 s) is read again over the shifted spans.
  const start = Number(j?.format?.start_time ?? 0);
  if (j && Number.isFinite(start) && Math.abs(start) > 0.25) {
    j = await listPackets(path, readIntervals(spans.map((s) => ({ from: s.from + start, ...(s.to === undefined ? {} : { to: s.to + start }) }))), opts);
  }
  return j && keyframesOf(j);
};
