/**
 * What an uploaded file is, checked once at upload with the same guards a render uses (ffprobe
 * under the hostile-media input policy and memory cap, frame-size and codec allow-lists), so a
 * file no render could use is refused at once instead of failing every render that names it.
 * A file is usable as media (video, image, audio), as a font (`fonts[].src`) or as a captions file
 * (`captions.src`: SRT, WebVTT or a JSON transcript, in UTF-8 or UTF-16 with its byte-order mark,
 * read by the render's own reader); anything else is refused with the reason.
 */
import { open, stat } from 'node:fs/promises';
import { isMontageError, MontageError } from '../errors/registry.ts';
import { captionFileText } from '../render/captions/caption-file-text.ts';
import { readTranscript } from '../render/captions/read-transcript.ts';
import { probeMedia } from './probe-media.ts';

/** What the Asset says about its file (also returned by the API). */
export interface AssetProbe {
  readonly kind: 'media' | 'font' | 'captions';
  /** Seconds; null for stills, fonts and captions. */
  readonly duration: number | null;
  /** Display size (rotation applied); null without a picture. */
  readonly width: number | null;
  readonly height: number | null;
  readonly streams: readonly AssetStream[];
}

export interface AssetStream {
  readonly type: 'video' | 'audio';
  readonly codec: string;
  /** Video: frames per second, null for stills. */
  readonly fps?: number | null;
  readonly hasAlpha?: boolean;
  /** Audio. */
  readonly channels?: number;
  readonly sampleRate?: number;
}

const FONT_MAGIC = ['00010000', '4f54544f' /* OTTO */, '74727565' /* true */, '774f4646' /* wOFF */, '774f4632' /* wOF2 */, '74746366' /* ttcf */];
const MAX_CAPTIONS_BYTES = 5 * 1024 * 1024;

export async function inspectUpload(path: string, opts: { readonly ffprobePath: string; readonly signal?: AbortSignal }): Promise<AssetProbe> {
  const head = await readHead(path, 16);
  if (FONT_MAGIC.includes(head.subarray(0, 4).toString('hex'))) return { kind: 'font', duration: null, width: null, height: null, streams: [] };
  if (await isCaptions(path, head)) return { kind: 'captions', duration: null, width: null, height: null, streams: [] };
  try {
    const m = await probeMedia(path, { ffprobePath: opts.ffprobePath, pointer: '/', signal: opts.signal });
    const streams: AssetStream[] = [];
    if (m.video) streams.push({ type: 'video', codec: m.video.codec, fps: m.video.fps ?? null, hasAlpha: m.video.hasAlpha });
    if (m.audio) streams.push({ type: 'audio', codec: m.audio.codec, channels: m.audio.channels, sampleRate: m.audio.sampleRate });
    return { kind: 'media', duration: m.duration ?? null, width: m.video?.width ?? null, height: m.video?.height ?? null, streams };
  } catch (e) {
    if (!isMontageError(e)) throw e;
    // The render's sentence names a clip; an upload has none: say what the file is not, and why.
    const why = e.problems[0]?.detail ?? e.message;
    throw new MontageError(e.code, `The upload cannot be used by any render: it ${why.replace(/\.$/, '')}. Upload a video, image or audio file, a font (TTF, OTF, WOFF) or captions (SRT, WebVTT, a JSON transcript).`,
      { problems: [{ pointer: '', detail: `It ${why.replace(/\.$/, '')}.` }], cause: e });
  }
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await f.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/**
 * Whether the file is a captions file a render reads: the same decoding (caption-file-text.ts) and
 * the same reader (read-transcript.ts: SRT, WebVTT, Whisper's JSON, an array of words) as the
 * render, so an upload is never refused that `captions.src` would take. Only text can be: a file
 * whose first bytes hold a NUL is binary, unless they are a UTF-16 byte-order mark.
 */
async function isCaptions(path: string, head: Buffer): Promise<boolean> {
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (!utf16 && head.includes(0)) return false;
  if ((await stat(path)).size > MAX_CAPTIONS_BYTES) return false;
  const { readFile } = await import('node:fs/promises');
  try {
    const source = readTranscript(captionFileText(await readFile(path), '/'), '/');
    return (source.words?.length ?? 0) + (source.cues?.length ?? 0) > 0;
  } catch {
    return false;
  }
}
