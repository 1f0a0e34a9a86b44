/**
 * The key of one cached piece (a video-only time range of a chunked render), as plain data: the
 * SHA-256 of a canonical JSON description of everything that shapes the piece's bytes. Pure: the
 * engine hands in the content hashes of the files the timeline reads.
 *
 * Semantic, not textual: clip ids and pointers (which say where a clip sits in the composition),
 * local paths, filter-graph labels and clips outside the piece never enter it, so moving an
 * unrelated clip elsewhere on the timeline keeps the key. Every other TimelineClip field does,
 * generically (new fields are covered without touching this file); every string field named
 * `path` anywhere inside a clip (probed media, rasters, caption cues, any new file a planner
 * reads), and every string of a list named `paths` (a raster sequence's images), is replaced by
 * the SHA-256 of that file's bytes, so a changed file under the same URL or a changed font (which
 * changes the raster's bytes) gives another key, and a picture drawn again into another render's
 * work folder keeps it.
 */
import { createHash } from 'node:crypto';
import { audioCodecArgs, gopFrames, videoCodecArgs } from './encoder-settings.ts';
import { isAudible } from './plan-audio.ts';
import type { Timeline, TimelineClip } from './timeline.ts';

/** Bump when the meaning of a piece changes in a way the description below does not show. */
// 2: a playing cover-fitted video is cut before it is scaled (source-window.ts), which moves a few values by 1 or 2.
// 3: a keyed video drawn larger than its source gets its matte from the source (chroma-key.ts), which moves its edges a little.
// 4: a source window starting between source frames shows the frame at or before it (seekLead), and
//    at NTSC rates a moving clip starts at its own frame (shiftToFrame), and a wipe's mask is full range
//    (reveal-mask.ts), and keyed motion rests in windows of its own (motionKeyEnds): pieces of off-grid or
//    NTSC renders, of wipes and of keyed scale/x/y change.
//    and (the sound sweep) a video after a seek keeps its source's time (frame-rate.ts), sped sound is on time (audio-tempo.ts),
//    the loudness limiter works oversampled and the mix is limited at 0 dBFS (mix-ceiling.ts), an audio
//    clip's fadeOut ends with its sound, moving gains step every 1 ms (plan-audio.ts), and a source's
//    sound starts where its file's clock says (plan-clip-sound.ts).
// 5: a rotated picture is no longer one pixel larger on each side (rotate-filter.ts): pieces of rotated or spinning clips change;
//    and a slide starts and ends past the edge by its shadow's reach too (slide-reach.ts),
//    and the frame where `out` begins is drawn with the clip's rest (clipWindows' REST_HAIR), as is the frame at keyed motion's first key,
//    and a sizing transition's whole-pixel size is truncated a hair up (Back easings ended 2 px small).
// 6: a still's zoomIn/zoomOut on a box the frame shows whole is drawn by zoompan and a sub-pixel shift (zoom-window.ts), not the map: its pieces' pixels move (within 0.2 px).
// 6 (too, merged with the zoom above): every video piece carries colour tags (BT.709 primaries/transfer, BT.601 matrix: encoder-settings.ts COLOUR_TAGS),
//    a BT.709-tagged source is converted to BT.601 numbers (toPipelineMatrix), and tone-mapped HDR is made with the
//    BT.601 matrix: untagged pieces must not be joined with tagged ones.
// 7: a moving still's colour filter is drawn once, before its motion (plan-visual-clip.ts): pieces of
//    zoomed or panned stills with a filter change by a level or two; and zoom-window.ts shifts a
//    transparent still's alpha plane (and planar RGB's three planes) with its colours: pieces of
//    zooming transparent stills change.
// 8: `transform: "capitalize"` titlecases (text-transform.ts): pieces of capitalized text starting
//    a word with ǆ, ß, ﬁ and the like change; and wrapped Thai, Lao, Khmer and Myanmar text breaks
//    between dictionary words (line-breaks.ts), not between any two letters.
//    And at NTSC rates a moving blended clip is blended on the graph's exact time base (look/blend.ts):
//    it no longer shows one frame late, nor misses its first frame; pieces of such renders change.
//    And a video clip with extend "none" ends where its source runs out (clipWindows): with rounded
//    corners, a mask, a blend, a shadow or a wipe its last frame no longer freezes to the clip's end.
//    And reversed video picks its frames on the output grid before reversing (plan-video-source.ts):
//    pieces of reversed clips change.
// 9: a still's zoomIn/zoomOut on a box the frame shows whole is drawn by swscale shrinking a window of
//    one of four larger copies at a ratio chosen per frame (zoom-ratio.ts), not by zoompan and a
//    sub-pixel shift, and slow zooms that zoompan could not draw leave the map too where the ratio
//    is exact enough: pieces of zooming stills change.
export const PIECE_FORMAT = 9;

export interface PieceKeyInput {
  readonly engineVersion: string;
  /** First line of `ffmpeg -version`. */
  readonly ffmpegVersion: string;
  readonly tenant: string;
  readonly timeline: Timeline;
  /** Absolute frames of the piece on the output's frame grid, counted from timeline 0: [first, end). */
  readonly frames: { readonly first: number; readonly end: number };
  /** Encoder threads per piece process (x264's output depends on it). */
  readonly threads?: number;
  /** SHA-256 (hex) of each local file the timeline reads, by path. */
  readonly contentHashes: ReadonlyMap<string, string>;
}

/** Whether any of the clip's frames fall in [first, end): the planner's own frame rounding (plan-visual-clip.ts). */
export const clipOverlapsFrames = (clip: Pick<TimelineClip, 'start' | 'length'>, fps: number, first: number, end: number): boolean => {
  const a = Math.ceil(clip.start * fps - 1e-6);
  const b = Math.ceil((clip.start + clip.length) * fps - 1e-6);
  return a < end && b > first && b > a;
};

const isStrings = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((p) => typeof p === 'string');

/** Every string field named `path`, and every string of a list named `paths`, anywhere inside `value`. */
export const filePathsIn = (value: unknown, out: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(value)) value.forEach((v) => filePathsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'path' && typeof v === 'string') out.add(v);
      else if (k === 'paths' && isStrings(v)) v.forEach((p) => out.add(p));
      else filePathsIn(v, out);
    }
  }
  return out;
};

/** The content hash of a file the timeline reads (under field `k`); every such file was hashed before keys are made. */
const hashOf = (path: string, k: string, hashes: ReadonlyMap<string, string>): string => {
  const h = hashes.get(path);
  if (!h) throw new Error(`piece key: no content hash for a file the timeline reads (${k})`);
  return h;
};

/** JSON with sorted keys, undefined dropped, and every `path` replaced by its file's content hash. */
const canonical = (value: unknown, hashes: ReadonlyMap<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((v) => canonical(v, hashes));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (k === 'path' && typeof v === 'string') out.sha256 = hashOf(v, k, hashes);
      else if (k === 'paths' && isStrings(v)) out.sha256s = v.map((p) => hashOf(p, k, hashes));
      else out[k] = canonical(v, hashes);
    }
    return out;
  }
  return value;
};

/**
 * A clip as it shapes a piece: no id or pointer; `src` dropped where the file's bytes are hashed
 * instead; no keyframe list (source-keyframes.ts: read from those bytes for some renders only, it
 * moves where a read starts, not what it shows).
 */
const clipDescription = (clip: TimelineClip): unknown => {
  const { id: _id, pointer: _pointer, ...rest } = clip;
  const hashedSrc = rest.media !== undefined || rest.cues !== undefined;
  const asset = hashedSrc && 'src' in rest.asset ? (({ src: _s, ...a }) => a)(rest.asset as { src?: string }) : rest.asset;
  const media = rest.media?.video?.keyframes ? { ...rest.media, video: (({ keyframes: _k, ...v }) => v)(rest.media.video) } : rest.media;
  return { ...rest, asset, media };
};

/** The canonical description the key hashes (exported for golden tests and debugging). */
export const pieceDescription = (input: PieceKeyInput): unknown => {
  const tl = input.timeline;
  const F = tl.frame.fps;
  const { first, end } = input.frames;
  return canonical({
    pieceFormat: PIECE_FORMAT,
    engine: input.engineVersion,
    ffmpeg: input.ffmpegVersion,
    tenant: input.tenant,
    output: {
      format: tl.format, width: tl.frame.width, height: tl.frame.height, fps: F, quality: tl.quality,
      encoder: videoCodecArgs(tl.format, tl.quality, input.threads, gopFrames(F)),
    },
    frames: { first, end },
    background: tl.background,
    // Audio clips are mixed apart, once for the whole timeline: they never shape a video piece.
    clips: tl.clips.filter((c) => c.asset.type !== 'audio' && clipOverlapsFrames(c, F, first, end)).map(clipDescription),
  }, input.contentHashes);
};

export const pieceKey = (input: PieceKeyInput): string =>
  createHash('sha256').update(JSON.stringify(pieceDescription(input))).digest('hex');

/**
 * The whole-timeline audio of a cached render, keyed apart from the pieces: every clip that sounds
 * (all its fields, as for a piece), the soundtrack, the range, the timeline's length (fades and
 * ducking depend on it), the loudness gain and the audio encoder. A change to a silent clip (a
 * title, an image, a video's filter on a muted clip) keeps it; a changed sound source does not.
 */
export const audioDescription = (input: Omit<PieceKeyInput, 'frames' | 'threads'>): unknown => {
  const tl = input.timeline;
  return canonical({
    pieceFormat: PIECE_FORMAT,
    kind: 'audio',
    engine: input.engineVersion,
    ffmpeg: input.ffmpegVersion,
    tenant: input.tenant,
    output: { format: tl.format, quality: tl.quality, fps: tl.frame.fps, encoder: audioCodecArgs(tl.format, tl.quality) },
    range: tl.range,
    duration: tl.duration,
    loudnessGain: tl.loudnessGain,
    soundtrack: tl.soundtrack,
    clips: tl.clips.filter(isAudible).map(clipDescription),
  }, input.contentHashes);
};

export const audioKey = (input: Omit<PieceKeyInput, 'frames' | 'threads'>): string =>
  createHash('sha256').update(JSON.stringify(audioDescription(input))).digest('hex');
