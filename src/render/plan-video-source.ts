/**
 * A video clip's source as E-sized frames on the output's frame grid, for the frames of one clip
 * window: straight play (one input, the chain every plain clip has always had), or, for `extend`
 * and `reverse`, one input per segment of source-segments.ts joined with `concat`. Alpha sources
 * in VP8/VP9 are decoded with libvpx, which keeps their alpha (ffmpeg's native decoder drops it).
 */
import type { MediaInfo } from '../assets/media-info.ts';
import { num } from './easing.ts';
import type { FilterGraph } from './filter-graph.ts';
import { resampleFilters, seekLead } from './frame-rate.ts';
import type { Size } from './layout-box.ts';
import { MAX_LOOP_FRAMES_IN_MEMORY, isPlainPlay, sourcePlay, sourceSegments, type SourceSegment } from './source-segments.ts';
import type { SourceCut } from './source-window.ts';
import type { TimelineClip } from './timeline.ts';
import { toPipelineColour } from './source-colour.ts';

export interface VideoSourceFrames {
  /** Clip-local time of the first frame. */
  readonly skip: number;
  /** Output frames wanted. */
  readonly count: number;
  readonly fps: number;
  /** Index of the first frame on the whole timeline's frame grid. */
  readonly globalFirst: number;
  /** Size of the frames, their pixel format and the filters that put them on the graph's time base. */
  readonly size: Size;
  readonly pix: string;
  readonly retime: readonly string[];
  /** Filters on the source picture before it is sized (the clip's crop, as fractions of the frame). */
  readonly pre?: readonly string[];
  /** Filters on the sized picture (the clip's flip and chroma key). */
  readonly post?: readonly string[];
  /** The cut of the sized picture to the visible window (visible-window.ts), after `post`. */
  readonly cut?: readonly string[];
  /**
   * Instead of sizing the whole picture and then cutting it: cut the source, size the part, cut
   * that to the window (source-window.ts). Taken for forward play only (reversed frames are
   * sized before `reverse`, and sized again after it).
   */
  readonly sourceCut?: SourceCut;
}

/** Input options that pick a decoder keeping the stream's alpha, where ffmpeg's default drops it. */
export const decoderArgs = (media: MediaInfo): string[] => {
  const v = media.video;
  if (!v?.hasAlpha) return [];
  if (v.codec === 'vp9') return ['-c:v', 'libvpx-vp9'];
  if (v.codec === 'vp8') return ['-c:v', 'libvpx'];
  return [];
};

/**
 * A window of at most this many seconds of source is decoded on one thread. A frame-threaded
 * decoder (ffmpeg's default: one thread per core, plus one) sets up a context per thread and, after
 * a seek, decodes from the keyframe before it on all of them; for the short windows a transition
 * cuts out of a clip (visible-window.ts, clipWindows) that costs more than it saves: ref-c's five
 * windows of 0.57–0.67 s decoded on one thread take 8 % less CPU for the whole render
 * (docs/benchmarks.md, "ref-c, short windows decoded on one thread"). Longer windows keep their threads.
 */
export const SHORT_WINDOW_SECONDS = 1;

/** The input options that read a source from `lead` seconds before `from` to `length` seconds after it (seekLead). */
export const seekArgs = (from: number, length: number, lead = 0): string[] => ['-ss', num(from - lead), '-t', num(length + lead)];

/** seekArgs, and one decoder thread for a short window. */
const windowArgs = (from: number, length: number, lead = 0): string[] => [
  ...(length <= SHORT_WINDOW_SECONDS ? ['-threads', '1'] : []), ...seekArgs(from, length, lead),
];

/**
 * The head label (an input stream or a joined chain) and the filters that follow it; undefined
 * when no frame of the window shows the source (`extend: "none"` past its end).
 */
export const planVideoSource = (
  clip: TimelineClip, graph: FilterGraph, o: VideoSourceFrames,
): { head: string; filters: string[] } | undefined => {
  const media = clip.media!;
  const play = sourcePlay(clip, o.fps);
  const { fps: F, size: E, pix } = o;
  const dec = decoderArgs(media);
  const sc = play.reverse ? undefined : o.sourceCut;
  const sizeFilters = [
    ...(o.pre ?? []), ...(sc ? [sc.crop, `scale=${sc.size.w}:${sc.size.h}`] : [`scale=${E.w}:${E.h}`]),
    ...toPipelineColour(media), 'setsar=1', `format=${pix}`, ...(o.post ?? []), ...(sc ? [sc.cut] : o.cut ?? []),
  ];
  const playFilters = (n: number, lead?: number) => [
    ...resampleFilters(F, play.speed, lead),
    ...sizeFilters, `tpad=stop_mode=clone:stop_duration=${num(n / F)}`, `trim=end_frame=${n}`,
  ];
  /**
   * Reversed play of `n` output frames, the first at source instant `to` and each next speed/F
   * earlier: each shows the source frame just before its instant. The frames are picked forwards,
   * on the grid of those instants taken in ascending order (the source read from a frame and a
   * half before the earliest), and only then reversed. Reversing first and taking the last frame
   * read as the start put the source's frame grid at a different phase in each window, range and
   * block: frames came up to a source frame late, and a window or chunk boundary skipped or
   * repeated frames.
   */
  const reversedRead = (to: number, n: number) => {
    const from = to - ((n - 1) * play.speed) / F;
    const lead = seekLead(from, media.video?.fps, media.video?.keyframes);
    return {
      args: [...dec, ...windowArgs(from, to - from, lead)],
      filters: [
        ...resampleFilters(F, play.speed, lead, true), `tpad=stop_mode=clone:stop_duration=${num(n / F)}`, `trim=end_frame=${n}`,
        // `reverse` holds what it reverses: shrink the frames to their drawn size first.
        `scale=${E.w}:${E.h}`, 'reverse', ...sizeFilters,
      ],
    };
  };

  const pictureEnd = media.video?.pictureEnd ?? Infinity;
  const hold = (frames: number) => ({ head: heldFrame(graph, media.path, dec, play, pictureEnd, frames, sizeFilters, o.retime), filters: [] });

  if (isPlainPlay(play)) {
    // The one-input chain of a plain clip. `extend: "none"`: nothing shows once the source has run
    // out (a stream a little shorter than its container clones its last frame up to there).
    const from = play.trim + o.skip * play.speed;
    const shown = Number.isFinite(play.span)
      ? Math.min(o.count, Math.max(0, Math.ceil((play.span / play.speed - o.skip) * F - 1e-6)))
      : o.count;
    if (shown <= 0) return undefined;
    // A window that starts where the picture has ended and the sound goes on (a range, a chunk, a
    // trim there) shows the last picture frame, as the window that plays up to there clones it:
    // a read from there has no frame to clone.
    if (from >= pictureEnd - 1e-6) return hold(shown);
    const lead = seekLead(from, media.video?.fps, media.video?.keyframes);
    const i = graph.input(media.path, [...dec, ...windowArgs(from, (o.count + 2) / F * play.speed, lead)]);
    return { head: `${i}:v`, filters: [...playFilters(shown, lead), ...o.retime] };
  }

  // A short loop: one pass decoded once, its frames repeated from memory (not one input per pass).
  const passFrames = Math.round((play.period / play.speed) * F);
  if (play.extend === 'loop' && Number.isFinite(play.period) && passFrames <= MAX_LOOP_FRAMES_IN_MEMORY) {
    // Trimmed past the picture's end: every frame of every pass is its last picture frame.
    if (play.trim >= pictureEnd - 1e-6) return hold(o.count);
    const phase = ((Math.round(o.skip * F) % passFrames) + passFrames) % passFrames;
    const repeats = Math.ceil((phase + o.count) / passFrames) - 1;
    const repeat = [`loop=loop=${repeats}:size=${passFrames}:start=0`, `trim=start_frame=${phase}:end_frame=${phase + o.count}`, ...o.retime];
    if (play.reverse) {
      // Backwards, a pass starts just before the trimmed part's end.
      const r = reversedRead(play.trim + play.span, passFrames);
      return { head: `${graph.input(media.path, r.args)}:v`, filters: [...r.filters, ...repeat] };
    }
    // Forwards, a pass starts at trim's own frame (the one at or before it), as straight play does.
    const lead = seekLead(play.trim, media.video?.fps, media.video?.keyframes);
    const i = graph.input(media.path, [...dec, ...windowArgs(play.trim, play.span + 2 / F * play.speed, lead)]);
    return { head: `${i}:v`, filters: [...playFilters(passFrames, lead), ...repeat] };
  }

  const segments = sourceSegments(play, o.skip, o.count, F, o.globalFirst);
  if (segments.length === 0) return undefined;
  const labels = segments.map((s) => (s.kind === 'hold' || s.from >= pictureEnd - 1e-6
    ? hold(s.frames).head
    : segmentChain(graph, media.path, dec, s, play, F, sizeFilters, playFilters, reversedRead, o.retime, media.video)));
  if (labels.length === 1) return { head: labels[0], filters: [] };
  return { head: graph.chain(labels, [`concat=n=${labels.length}:v=1:a=0`, ...o.retime], graph.label('src')), filters: [] };
};

const segmentChain = (
  graph: FilterGraph, path: string, dec: string[], s: SourceSegment & { kind: 'play' }, play: ReturnType<typeof sourcePlay>, F: number,
  sizeFilters: string[], playFilters: (n: number, lead?: number) => string[],
  reversedRead: (to: number, n: number) => { args: string[]; filters: string[] }, retime: readonly string[],
  source?: MediaInfo['video'],
): string => {
  if (s.reversed) {
    const r = reversedRead(s.to, s.frames);
    return graph.chain([`${graph.freshInput(path, r.args)}:v`], [...r.filters, ...retime], graph.label('seg'));
  }
  // Forwards, the segment starts at its instant (seekLead).
  const lead = seekLead(s.from, source?.fps, source?.keyframes);
  const i = graph.freshInput(path, [...dec, ...windowArgs(s.from, Math.max((s.frames + 2) / F * play.speed, 1 / F), lead)]);
  return graph.chain([`${i}:v`], [...playFilters(s.frames, lead), ...retime], graph.label('seg'));
};

/**
 * One source frame, sized, held for `frames` frames: forwards (and wherever `trim` is past the
 * picture's end), the last frame of the part played, which ends at the source's end or, where the
 * sound outlasts the picture, at the picture's (`freeze` read the last half second of the file
 * and held nothing there); reversed, the first one at trim. The last frame is found by reading
 * the last half second before that end, reversed, and keeping its first frame.
 */
const heldFrame = (
  graph: FilterGraph, path: string, dec: string[], play: ReturnType<typeof sourcePlay>, pictureEnd: number,
  frames: number, sizeFilters: string[], retime: readonly string[],
): string => {
  const end = Math.min(play.trim + play.span, pictureEnd);
  const firstOfReversed = play.reverse && play.trim < pictureEnd - 1e-6;
  let input: number;
  if (firstOfReversed) {
    input = graph.freshInput(path, [...dec, '-ss', num(play.trim)]);
  } else if (Number.isFinite(end)) {
    const from = play.trim < end ? Math.max(play.trim, end - 0.5) : Math.max(0, end - 0.5);
    input = graph.freshInput(path, [...dec, ...windowArgs(from, end - from + 0.1)]);
  } else {
    input = graph.freshInput(path, [...dec, ...windowArgs(play.trim, 0.6)]);
  }
  return graph.chain([`${input}:v`], [
    ...(firstOfReversed ? [] : ['reverse']), 'trim=end_frame=1', ...sizeFilters,
    `loop=loop=${frames - 1}:size=1:start=0`, ...retime,
  ], graph.label('hold'));
};
