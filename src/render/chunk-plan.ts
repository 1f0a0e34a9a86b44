/**
 * Chunked rendering as plain data: split a timeline's range into N frame-aligned parts, plan the
 * video of each part and the audio of the whole range once, and join them by copying streams.
 * The audio never passes a seam, so a seam can never click or drift; the video parts are cut on
 * the output's frame grid, so the joined file has exactly the frames of an unchunked render.
 */
import { gopFrames, muxerArgs } from './encoder-settings.ts';
import type { OutputFormat } from '../composition/schema.ts';
import { inputGuardArgs } from '../assets/ffmpeg-input-policy.ts';
import { planRender, type RenderPlan } from './plan-render.ts';
import type { Timeline } from './timeline.ts';

/** Formats whose streams can be cut and joined without re-encoding (ProRes is intra-only: any frame is a cut). */
export const CHUNKABLE: ReadonlySet<OutputFormat> = new Set(['mp4', 'webm', 'mov']);

/** The container of a chunked render's pieces: the output's own, audio-only ones included. */
const PIECE_EXT: Partial<Record<OutputFormat, { part: string; audio: string }>> = {
  mp4: { part: 'mp4', audio: 'm4a' }, webm: { part: 'webm', audio: 'webm' }, mov: { part: 'mov', audio: 'mov' },
};

export interface ChunkRange { readonly index: number; readonly start: number; readonly end: number; readonly frames: number }

/** Frame-aligned ranges covering the timeline's range; never more parts than frames. */
export const splitRange = (tl: Timeline, parts: number): ChunkRange[] => {
  const F = tl.frame.fps;
  const total = Math.max(1, Math.round((tl.range.end - tl.range.start) * F));
  // Cut on keyframe-interval boundaries, so the parts keep the GOPs of an unchunked render.
  const gop = gopFrames(F);
  const cuts = [...new Set(Array.from({ length: parts + 1 }, (_, i) => (i === parts ? total : Math.min(total, Math.round((i * total) / parts / gop) * gop))))]
    .sort((a, b) => a - b);
  return cuts.slice(1).map((f1, i) => {
    const f0 = cuts[i];
    return { index: i, start: tl.range.start + f0 / F, end: tl.range.start + f1 / F, frames: f1 - f0 };
  });
};

export interface ChunkedPlan {
  readonly parts: readonly RenderPlan[];
  readonly audio?: RenderPlan;
  /** ffmpeg arguments that join the parts and mux the audio into the final output. */
  readonly join: { readonly args: readonly string[]; readonly listPath: string; readonly list: string };
}

/** File names of the pieces of a chunked render: video-only parts and the whole-timeline audio. */
export const partFileName = (format: OutputFormat, index: number) => `part-${index}.${PIECE_EXT[format]?.part ?? 'webm'}`;
export const audioFileName = (format: OutputFormat) => `audio.${PIECE_EXT[format]?.audio ?? 'webm'}`;

/** The arguments that join video-only parts and mux the audio, copying every stream. */
export const planJoin = (format: OutputFormat, partPaths: readonly string[], audioPath: string | undefined, outputPath: string, workDir: string) => {
  const listPath = `${workDir}/parts.ffconcat`;
  const quote = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;
  const list = `ffconcat version 1.0\n${partPaths.map((p) => `file ${quote(p)}`).join('\n')}\n`;
  const args = [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats',
    // Our own list of our own files: the concat demuxer is allowed here and nowhere else.
    '-protocol_whitelist', 'file', '-f', 'concat', '-safe', '0', '-i', listPath,
    ...(audioPath ? [...inputGuardArgs(), '-i', audioPath, '-map', '0:v', '-map', '1:a'] : ['-map', '0:v']),
    '-c', 'copy',
    ...muxerArgs(format),
    outputPath,
  ];
  return { args, listPath, list };
};

export const planChunked = (tl: Timeline, opts: { outputPath: string; workDir: string; parts: number; threads?: number; filterThreads?: number }): ChunkedPlan => {
  const ranges = splitRange(tl, opts.parts);
  const parts = ranges.map((r) => planRender({ ...tl, range: { start: r.start, end: r.end } }, {
    outputPath: `${opts.workDir}/${partFileName(tl.format, r.index)}`,
    workDir: opts.workDir, streams: 'video', name: `part-${r.index}`, threads: opts.threads, filterThreads: opts.filterThreads,
  }));
  const audio = planRender(tl, {
    outputPath: `${opts.workDir}/${audioFileName(tl.format)}`,
    workDir: opts.workDir, streams: 'audio', name: 'audio',
  });
  return { parts, audio, join: planJoin(tl.format, parts.map((p) => p.outputPath), audio.outputPath, opts.outputPath, opts.workDir) };
};
