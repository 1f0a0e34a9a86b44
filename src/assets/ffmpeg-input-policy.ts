/**
 * What ffmpeg and ffprobe may open. Every input is a local file by the time ffmpeg sees it, so the
 * only protocol allowed is `file`; and only demuxers for ordinary media are allowed, so a playlist,
 * a concat list or a subtitle trick inside a container can never make ffmpeg read another file or
 * reach the network (HLS, ffconcat, the AVI GAB2 trick all need a demuxer that is not listed).
 */
export const PROTOCOL_WHITELIST = 'file';

export const DEMUXER_WHITELIST = [
  'mov', 'mp4', 'm4a', '3gp', '3g2', 'mj2', 'matroska', 'webm', 'avi', 'mpegts', 'flv', 'ogg',
  'wav', 'mp3', 'aac', 'flac', 'w64', 'aiff', 'caf',
  'image2', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'gif', 'gif_pipe', 'bmp_pipe', 'tiff_pipe', 'apng',
].join(',');

/** Input options that go before every `-i` given to ffmpeg or ffprobe. */
export const inputGuardArgs = (): string[] => [
  '-protocol_whitelist', PROTOCOL_WHITELIST,
  '-format_whitelist', DEMUXER_WHITELIST,
];

/**
 * Pixels in one frame of an input (64 Mpx, e.g. 8192×8192; a 61 Mpx camera still fits). ffprobe
 * gets it as the decoder's `-max_pixels`, so a header claiming more is never decoded: a tiny PNG
 * that inflates to a 16000×16000 RGBA frame (1 GiB) is refused at the header.
 */
export const MAX_INPUT_PIXELS = 8192 * 8192;

/**
 * The sparsest video we accept: at least one frame every 10 s on average. A file claiming hours
 * at a frame an hour costs the frame-rate filter a frame per output tick for every second between
 * two of its frames, and promises a length no one filmed.
 */
export const MIN_INPUT_FPS = 0.1;

/** Codecs we decode. Anything else is refused at probe time with a clear error. */
export const VIDEO_CODECS = new Set([
  'h264', 'hevc', 'vp8', 'vp9', 'av1', 'mpeg4', 'mpeg2video', 'mpeg1video', 'mjpeg', 'prores', 'theora',
  'png', 'apng', 'webp', 'gif', 'bmp', 'tiff', 'qtrle', 'rawvideo', 'dnxhd', 'h263', 'msmpeg4v3',
]);
export const AUDIO_CODECS = new Set([
  'aac', 'mp3', 'opus', 'vorbis', 'flac', 'alac', 'ac3', 'eac3', 'mp2',
  'pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le', 'pcm_s16be', 'pcm_u8', 'pcm_f64le', 'pcm_s24be',
]);
