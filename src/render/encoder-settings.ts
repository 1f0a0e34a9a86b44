/**
 * Codec arguments per output format and quality preset.
 *
 * H.264 presets are fixed by the product (draft = ultrafast/CRF 30, low = superfast/27,
 * medium = veryfast/23, high = medium/20). The others are our choice, documented in
 * docs/formats.md: each step trades speed for size/fidelity in the same proportion.
 */
import type { OutputFormat, Quality } from '../composition/schema.ts';

const X264: Record<Quality, { preset: string; crf: number }> = {
  draft: { preset: 'ultrafast', crf: 30 },
  low: { preset: 'superfast', crf: 27 },
  medium: { preset: 'veryfast', crf: 23 },
  high: { preset: 'medium', crf: 20 },
};

/** VP9 in constant-quality mode; `realtime` with a high cpu-used is 5–10× faster than `good`. */
const VP9: Record<Quality, { deadline: string; cpuUsed: number; crf: number }> = {
  draft: { deadline: 'realtime', cpuUsed: 8, crf: 42 },
  low: { deadline: 'realtime', cpuUsed: 7, crf: 37 },
  medium: { deadline: 'good', cpuUsed: 5, crf: 33 },
  high: { deadline: 'good', cpuUsed: 2, crf: 30 },
};

/** GIF: palette size and dithering. */
export const GIF: Record<Quality, { colors: number; dither: string; statsMode: string }> = {
  draft: { colors: 64, dither: 'none', statsMode: 'diff' },
  low: { colors: 128, dither: 'bayer:bayer_scale=3', statsMode: 'diff' },
  medium: { colors: 256, dither: 'sierra2_4a', statsMode: 'diff' },
  high: { colors: 256, dither: 'floyd_steinberg', statsMode: 'full' },
};

const MP3_QUALITY: Record<Quality, number> = { draft: 7, low: 5, medium: 2, high: 0 };
const JPEG_QUALITY: Record<Quality, number> = { draft: 8, low: 5, medium: 3, high: 2 };

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', gif: 'image/gif', mp3: 'audio/mpeg', wav: 'audio/wav',
  png: 'image/png', jpg: 'image/jpeg',
};

export const hasVideo = (f: OutputFormat) => f === 'mp4' || f === 'webm' || f === 'mov' || f === 'gif' || f === 'png' || f === 'jpg';
export const hasAudio = (f: OutputFormat) => f === 'mp4' || f === 'webm' || f === 'mov' || f === 'mp3' || f === 'wav';
/** A video container (not a GIF or a still): a stream frame rate, colour tags, even sides. */
export const isVideoContainer = (f: OutputFormat) => f === 'mp4' || f === 'webm' || f === 'mov';
/** Formats that can carry an alpha channel (`background: "transparent"`). */
export const ALPHA_FORMATS: ReadonlySet<OutputFormat> = new Set(['webm', 'mov', 'png', 'gif']);
export const isStill = (f: OutputFormat) => f === 'png' || f === 'jpg';

/**
 * Keyframe interval in frames: a fixed 2 s (as streaming packagers expect), with no scene-cut
 * keyframes, so a render and the same render in chunks (split on GOP boundaries) have the same
 * GOP structure and encode near-identically.
 */
export const gopFrames = (fps: number): number => Math.max(1, Math.round(2 * fps));

/**
 * Video encoder arguments (mp4/webm/mov), or still-image arguments (png/jpg). `alpha`: keep the
 * frame's alpha channel (VP9 yuva420p, ProRes 4444 yuva444p10le, RGBA PNG).
 */
export const videoCodecArgs = (format: OutputFormat, quality: Quality, threads?: number, gop?: number, alpha = false): string[] =>
  [...codecArgs(format, quality, threads, gop, alpha), ...(isVideoContainer(format) ? COLOUR_TAGS : [])];

/**
 * What every video output says its colours are (docs/composition-choices.md, "Colour"): sRGB/BT.709
 * primaries and transfer, YUV made with the BT.601 matrix (the numbers the pipeline holds), limited
 * range. Written into the H.264 VUI, the VP9 bitstream and Matroska Colour element, and ProRes's
 * frame header and the MOV colr atom. Untagged, browsers read HD video as BT.709: #00ff00 showed as
 * about (0,216,0).
 */
export const COLOUR_TAGS: readonly string[] = ['-colorspace', 'smpte170m', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];

/**
 * Filters that stamp COLOUR_TAGS on the frames themselves, where the encoder writes the frame's
 * tags rather than its options': ProRes (prores_ks) puts each frame's primaries, transfer and matrix
 * in its frame header, and the MOV muxer's colr atom follows. x264 and libvpx take the options.
 */
export const colourTagFilters = (format: OutputFormat): string[] =>
  (format === 'mov' ? ['setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=smpte170m'] : []);

const codecArgs = (format: OutputFormat, quality: Quality, threads?: number, gop?: number, alpha = false): string[] => {
  const t = threads ? ['-threads', String(threads)] : [];
  const g = gop ? ['-g', String(gop), '-keyint_min', String(gop)] : [];
  switch (format) {
    case 'mp4': {
      const x = X264[quality];
      return ['-c:v', 'libx264', '-preset', x.preset, '-crf', String(x.crf), '-pix_fmt', 'yuv420p', '-profile:v', 'high',
        ...g, ...(gop ? ['-sc_threshold', '0'] : []), ...t];
    }
    case 'webm': {
      const v = VP9[quality];
      return ['-c:v', 'libvpx-vp9', '-deadline', v.deadline, '-cpu-used', String(v.cpuUsed), '-crf', String(v.crf), '-b:v', '0',
        '-row-mt', '1', '-pix_fmt', alpha ? 'yuva420p' : 'yuv420p', ...g, ...t];
    }
    // ProRes is intra-only: no GOP to set. Profile 3 = 422 HQ, 4 = 4444 (with alpha).
    case 'mov': return alpha
      ? ['-c:v', 'prores_ks', '-profile:v', '4', '-pix_fmt', 'yuva444p10le', '-alpha_bits', '16', '-vendor', 'apl0', ...t]
      : ['-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le', '-vendor', 'apl0', ...t];
    case 'png': return ['-c:v', 'png', '-pix_fmt', alpha ? 'rgba' : 'rgb24'];
    case 'jpg': return ['-c:v', 'mjpeg', '-q:v', String(JPEG_QUALITY[quality]), '-pix_fmt', 'yuvj444p'];
    case 'gif': return ['-c:v', 'gif', ...t];
    default: return [];
  }
};

export const audioCodecArgs = (format: OutputFormat, quality: Quality): string[] => {
  switch (format) {
    case 'mp4': return ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'];
    case 'webm': return ['-c:a', 'libopus', '-b:a', quality === 'high' ? '160k' : '128k', '-ar', '48000', '-ac', '2'];
    case 'mp3': return ['-c:a', 'libmp3lame', '-q:a', String(MP3_QUALITY[quality]), '-ar', '48000', '-ac', '2'];
    case 'wav': return ['-c:a', 'pcm_s16le', '-ar', '48000', '-ac', '2'];
    case 'mov': return ['-c:a', 'pcm_s24le', '-ar', '48000', '-ac', '2'];
    default: return [];
  }
};

/** libopus's pre-skip at 48 kHz: the samples its first packet holds before the sound. */
const OPUS_PRE_SKIP = 312;

/**
 * Filters at the end of the audio graph, before the encoder. libopus stamps its first packet
 * 312 samples (6.5 ms) before the first sound; WebM stores that packet at 0 and the pre-skip as
 * the track's CodecDelay. Fed from 0, the encoder stamped it −6.5 ms, and the muxer moved every
 * stream 7 ms later to make it 0: the picture started 7 ms after the sound (vp9 start_time 0.007).
 * The sound is handed over 312 samples later instead, so the first packet is at 0 and the first
 * sound, after the pre-skip, at 0 with the first frame.
 */
export const audioTimingFilters = (format: OutputFormat): string[] =>
  (format === 'webm' ? [`asetpts=PTS+${OPUS_PRE_SKIP}/(SR*TB)`] : []);

/**
 * Container flags. A GIF loops forever (`-loop 0`), or with `gifPlaysOnce` has no loop extension
 * and plays once (`-loop -1`): Shotstack's `output.repeat: false`, a job option, not a field of
 * the composition.
 */
export const muxerArgs = (format: OutputFormat, o: { readonly gifPlaysOnce?: boolean } = {}): string[] => {
  switch (format) {
    case 'mp4': return ['-movflags', '+faststart', '-f', 'mp4'];
    case 'webm': return ['-f', 'webm'];
    case 'mov': return ['-f', 'mov'];
    case 'gif': return ['-loop', o.gifPlaysOnce ? '-1' : '0', '-f', 'gif'];
    case 'mp3': return ['-f', 'mp3'];
    case 'wav': return ['-f', 'wav'];
    case 'png': case 'jpg': return ['-frames:v', '1', '-update', '1', '-f', 'image2'];
  }
};
