/** What ffprobe says about a rendered file: its container and streams, frames counted when asked. */
import { ffprobe } from './ffmpeg-tools.ts';

export interface ProbedStream {
  readonly codec_type: string;
  readonly codec_name: string;
  readonly profile?: string;
  readonly width?: number;
  readonly height?: number;
  readonly pix_fmt?: string;
  readonly r_frame_rate?: string;
  readonly avg_frame_rate?: string;
  readonly sample_rate?: string;
  readonly channels?: number;
  readonly duration?: string;
  readonly nb_read_frames?: string;
  readonly bit_rate?: string;
}
export interface Probed {
  readonly format: { readonly format_name: string; readonly duration?: string; readonly size: string; readonly bit_rate?: string };
  readonly streams: readonly ProbedStream[];
  readonly video?: ProbedStream;
  readonly audio?: ProbedStream;
}

export const probeOutput = async (path: string, opts: { countFrames?: boolean } = {}): Promise<Probed> => {
  const j = JSON.parse((await ffprobe(...(opts.countFrames ? ['-count_frames'] : []), '-show_format', '-show_streams', '-of', 'json', path)).toString());
  const streams = j.streams as ProbedStream[];
  return { format: j.format, streams, video: streams.find((s) => s.codec_type === 'video'), audio: streams.find((s) => s.codec_type === 'audio') };
};

/** "30000/1001" → 29.97 */
export const rate = (r: string | undefined): number => {
  const [n, d] = String(r).split('/').map(Number);
  return d ? n / d : n;
};
