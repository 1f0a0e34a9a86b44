/**
 * Probes one local input file with ffprobe (under the same input policy as ffmpeg) and turns the
 * answer into MediaInfo, refusing anything that is not an expected container or codec.
 */
import { open } from 'node:fs/promises';
import { MontageError } from '../errors/registry.ts';
import type { MediaInfo } from './media-info.ts';
import { AUDIO_CODECS, MAX_INPUT_PIXELS, MIN_INPUT_FPS, VIDEO_CODECS, inputGuardArgs } from './ffmpeg-input-policy.ts';
import { mib } from './memory-cap.ts';
import { runFfprobe } from './run-ffprobe.ts';
import { displaySize, frameRotation, streamHasAlpha } from './upright-size.ts';
import { isSvgFile, probeSvg } from './svg-image.ts';
import { asAnimatedWebp, readAnimatedWebpHeader } from './animated-webp.ts';

const STILL_DEMUXERS = /(^|,)(image2|png_pipe|jpeg_pipe|webp_pipe|bmp_pipe|tiff_pipe|gif_pipe)(,|$)/;
/** Pixel formats holding YUV (as opposed to RGB, palette or grey), whose numbers depend on a colour matrix. */
const YUV_PIX = /^(yuv|yuvj|yuva|nv|p0|p2|p4|y2|yuyv|uyvy|yvyu|ayuv|v30|xv3)/;
const ALPHA_PIX = /^(yuva|rgba|bgra|argb|abgr|gbrap|ya|pal8)/;

/** A YUV stream's matrix where it is not the pipeline's BT.601 (MediaInfo's `yuvMatrix`). */
const yuvMatrixOf = (v: { color_space?: string; color_primaries?: string; pix_fmt?: string }): { yuvMatrix?: NonNullable<MediaInfo['video']>['yuvMatrix'] } => {
  const pixFmt = v.pix_fmt ?? '';
  if (v.color_space === 'bt709') return { yuvMatrix: { matrix: 'bt709', pixFmt } };
  if (v.color_space === 'bt2020nc') return { yuvMatrix: { matrix: 'bt2020', pixFmt, ...(v.color_primaries === 'bt2020' ? { primaries: 'bt2020' as const } : {}) } };
  return {};
};

interface ProbeStream {
  codec_type?: string; codec_name?: string; width?: number; height?: number; pix_fmt?: string;
  avg_frame_rate?: string; r_frame_rate?: string; nb_frames?: string; duration?: string; start_time?: string;
  channels?: number; sample_rate?: string; sample_aspect_ratio?: string; color_transfer?: string;
  color_space?: string; color_primaries?: string;
  tags?: { rotate?: string; alpha_mode?: string; ALPHA_MODE?: string };
  side_data_list?: Array<{ rotation?: number }>;
}
interface ProbeJson {
  format?: { format_name?: string; duration?: string; start_time?: string };
  streams?: ProbeStream[];
  /** The first decoded frame's side data: asked for JPEGs only (their EXIF orientation). */
  frames?: Array<{ side_data_list?: Array<{ rotation?: number }> }>;
}

/** Whether the file starts with a JPEG's SOI marker and a segment marker (FF D8 FF). */
const startsAsJpeg = async (path: string): Promise<boolean> => {
  const f = await open(path, 'r').catch(() => null);
  if (!f) return false;
  try {
    const b = Buffer.alloc(3);
    const { bytesRead } = await f.read(b, 0, 3, 0);
    return bytesRead === 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  } finally {
    await f.close();
  }
};

const rate = (r?: string): number | undefined => {
  if (!r) return undefined;
  const [n, d] = r.split('/').map(Number);
  const v = d ? n / d : n;
  return Number.isFinite(v) && v > 0 && v < 1000 ? v : undefined;
};
const positive = (s?: string): number | undefined => {
  const v = s === undefined ? NaN : Number(s);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

export interface ProbeOptions {
  readonly ffprobePath: string;
  /** Names the field in error messages, e.g. "/tracks/0/clips/1/asset/src". */
  readonly pointer: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Resident memory ffprobe may use before it is killed (bytes; default FFPROBE_MAX_RSS). */
  readonly maxRssBytes?: number;
}

export const probeMedia = async (path: string, opts: ProbeOptions): Promise<MediaInfo> => {
  // SVG: ffprobe would need librsvg and report a fixed size; Skia reads its intrinsic size instead.
  if (isSvgFile(path)) return probeSvg(path, opts.pointer);
  // An animated WebP: ffmpeg 5.1 reads none of its frames (a 0×0 stream); its header has the size,
  // checked like any probed picture's, and Skia decodes its first frame before planning.
  const webp = readAnimatedWebpHeader(path);
  if (webp) {
    const stream = { codec_type: 'video', codec_name: 'webp', width: webp.width, height: webp.height, pix_fmt: webp.alpha ? 'argb' : 'rgb24' };
    return asAnimatedWebp(toMediaInfo(path, { format: { format_name: 'webp_pipe' }, streams: [stream] }, opts.pointer));
  }
  return probeWithFfprobe(path, opts, await startsAsJpeg(path));
};

const probeWithFfprobe = async (path: string, opts: ProbeOptions, jpeg: boolean): Promise<MediaInfo> => {
  // -max_pixels: the decoder refuses a bigger frame before allocating it (ffprobe decodes one
  // frame of some formats, PNG and JPEG among them, to learn the pixel format). A JPEG's EXIF
  // orientation lives on its decoded frame, not on the stream: the same ffprobe reports the
  // first frame's side data too (one process instead of two; each costs ~0.1 s of CPU to start).
  const sections = jpeg
    ? ['-read_intervals', '%+#1', '-show_entries', 'format:stream:frame=side_data_list:frame_side_data=rotation']
    : ['-show_format', '-show_streams'];
  const r = await runFfprobe(['-v', 'error', ...inputGuardArgs(), '-max_pixels', String(MAX_INPUT_PIXELS), '-print_format', 'json', ...sections, path],
    { ffprobePath: opts.ffprobePath, timeoutMs: opts.timeoutMs, signal: opts.signal, maxRssBytes: opts.maxRssBytes });
  if (!r.ok) {
    const why = r.overMemoryBytes !== undefined
      ? `reading it took more than ${mib(r.maxRssBytes)} of memory`
      : String(r.stderr || r.error.message).trim().split('\n').pop() ?? 'unknown error';
    throw new MontageError('MONTAGE_E_ASSET_UNREADABLE',
      `The file at ${opts.pointer} could not be read as media (${why.replace(path, 'input')}).`,
      { problems: [{ pointer: opts.pointer, detail: 'is not a readable media file: check that it is a supported image, video or audio file' }], cause: r.error });
  }
  const j = JSON.parse(r.stdout) as ProbeJson;
  let info = toMediaInfo(path, j, opts.pointer);
  // A moving picture whose container states no duration (an animated PNG): its length is where
  // its last frame ends. Without it "auto" was refused, loop never looped and a chunked render
  // dropped the clip past the source.
  if (info.video && !info.video.still && info.duration === undefined) {
    const end = await lastFrameEnd(path, opts);
    if (end !== undefined) info = { ...info, duration: end };
  }
  // ffmpeg turns a JPEG upright on decode: the fitted box takes the upright size.
  return info.video?.still && info.video.codec === 'mjpeg' && frameRotation(j.frames) % 180 ? swapped(info) : info;
};

export const toMediaInfo = (path: string, j: ProbeJson, pointer: string): MediaInfo => {
  const container = j.format?.format_name ?? '';
  const streams = j.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  const unsupported = (what: string) => new MontageError('MONTAGE_E_ASSET_UNSUPPORTED',
    `The file at ${pointer} uses ${what}, which Montage does not accept.`,
    { problems: [{ pointer, detail: `uses ${what}: convert it to H.264/AAC MP4, PNG, JPEG or WAV` }] });
  if (v && !VIDEO_CODECS.has(v.codec_name ?? '')) throw unsupported(`the video codec "${v.codec_name ?? 'unknown'}"`);
  if (a && !AUDIO_CODECS.has(a.codec_name ?? '')) throw unsupported(`the audio codec "${a.codec_name ?? 'unknown'}"`);
  if (!v && !a) throw unsupported('no audio or video stream');

  let video: MediaInfo['video'];
  if (v) {
    const w = v.width ?? 0;
    const h = v.height ?? 0;
    const mpx = (MAX_INPUT_PIXELS / 2 ** 20).toFixed(0);
    if (w < 1 || h < 1) {
      // What ffprobe reports when the decoder refused the header (-max_pixels, or a size no codec allows).
      throw new MontageError('MONTAGE_E_ASSET_UNSUPPORTED', `The image or video at ${pointer} has no picture Montage can decode: its header is damaged or claims more than ${mpx} megapixels.`,
        { problems: [{ pointer, detail: `has no decodable picture (damaged, or larger than ${mpx} megapixels, e.g. 8192×8192): scale it down or re-encode it` }] });
    }
    if (w > 16384 || h > 16384 || w * h > MAX_INPUT_PIXELS) {
      throw new MontageError('MONTAGE_E_ASSET_UNSUPPORTED', `The image or video at ${pointer} claims a size of ${w}×${h}.`,
        { problems: [{ pointer, detail: `has a frame size of ${w}×${h}; frames may have at most ${mpx} megapixels (e.g. 8192×8192), neither side above 16384` }] });
    }
    const avg = rate(v.avg_frame_rate);
    if (avg !== undefined && avg < MIN_INPUT_FPS && !/^gif|(^|,)(image2|png_pipe|jpeg_pipe|webp_pipe|bmp_pipe|tiff_pipe|gif_pipe)(,|$)/.test(container) && v.nb_frames !== '1') {
      throw new MontageError('MONTAGE_E_ASSET_UNSUPPORTED', `The video at ${pointer} claims one frame every ${Math.round(1 / avg)} s.`,
        { problems: [{ pointer, detail: `has one frame every ${Math.round(1 / avg)} s on average; videos need at least one frame every ${1 / MIN_INPUT_FPS} s: re-encode it at an ordinary frame rate` }] });
    }
    const rot = Math.abs(Number(v.tags?.rotate ?? v.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0)) % 180;
    const still = STILL_DEMUXERS.test(container) || (v.nb_frames === '1' && !a);
    // Non-square pixels first (a 720×576 16:9 PAL frame shows 1024 wide), then the rotation.
    const hdr = v.color_transfer === 'smpte2084' ? 'pq' as const : v.color_transfer === 'arib-std-b67' ? 'hlg' as const : undefined;
    const shown = displaySize(w, h, v.sample_aspect_ratio);
    video = {
      codec: v.codec_name ?? '',
      width: rot === 90 ? shown.h : shown.w,
      height: rot === 90 ? shown.w : shown.h,
      ...(shown.w !== w || shown.h !== h ? { anamorphic: true } : {}),
      fps: still ? undefined : rate(v.avg_frame_rate) ?? rate(v.r_frame_rate),
      still,
      hasAlpha: ALPHA_PIX.test(v.pix_fmt ?? '') || streamHasAlpha(v.codec_name, v.tags),
      ...(hdr ? { hdr } : {}),
      // HDR has its own conversion (toneMap); RGB pictures (gbrp, rgb24, pal8…) have no YUV matrix.
      ...(!hdr && YUV_PIX.test(v.pix_fmt ?? '') ? yuvMatrixOf(v) : {}),
    };
  }
  const duration = video?.still ? undefined : positive(j.format?.duration) ?? positive(v?.duration) ?? positive(a?.duration);
  const pictureEnd = video && !video.still && duration !== undefined ? endOf(v!, j.format?.start_time) : undefined;
  return {
    path, container, duration,
    video: video && pictureEnd !== undefined && pictureEnd < duration! - 1e-3 ? { ...video, pictureEnd } : video,
    audio: a ? { codec: a.codec_name ?? '', channels: a.channels ?? 2, sampleRate: Number(a.sample_rate ?? 48000) } : undefined,
  };
};

/**
 * Where a stream ends, in seconds from the file's start as `-ss` counts them (the stream's start
 * less the file's, plus its duration); undefined when its duration is not known.
 */
const endOf = (s: ProbeStream, fileStart?: string): number | undefined => {
  const length = positive(s.duration);
  if (length === undefined) return undefined;
  const offset = Number(s.start_time ?? 0) - Number(fileStart ?? 0);
  return (Number.isFinite(offset) ? Math.max(0, offset) : 0) + length;
};

/** Seconds from the first video frame's start to the last one's end, from ffprobe's packet list (no decoding). */
const lastFrameEnd = async (path: string, opts: ProbeOptions): Promise<number | undefined> => {
  const r = await runFfprobe(['-v', 'error', ...inputGuardArgs(), '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,duration_time', '-print_format', 'json', path],
    { ffprobePath: opts.ffprobePath, timeoutMs: opts.timeoutMs, signal: opts.signal, maxRssBytes: opts.maxRssBytes, maxBuffer: 64 << 20 });
  if (!r.ok) return undefined;
  try {
    const packets = (JSON.parse(r.stdout) as { packets?: Array<{ pts_time?: string; duration_time?: string }> }).packets ?? [];
    let [first, end] = [Infinity, -Infinity];
    for (const p of packets) {
      const [t, d] = [Number(p.pts_time), Number(p.duration_time ?? 0)];
      if (!Number.isFinite(t) || !Number.isFinite(d)) continue;
      first = Math.min(first, t);
      end = Math.max(end, t + d);
    }
    return Number.isFinite(first) ? positive(String(end - first)) : undefined;
  } catch {
    return undefined;
  }
};

/** The same media, a quarter turn: the upright size of a JPEG that ffmpeg will rotate on decode. */
const swapped = (m: MediaInfo): MediaInfo => (m.video ? { ...m, video: { ...m.video, width: m.video.height, height: m.video.width } } : m);
