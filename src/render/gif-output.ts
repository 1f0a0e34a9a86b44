/**
 * The end of a GIF's graph and its muxer timing: one palette for the whole clip (GIF settings in
 * encoder-settings.ts), alpha made clear-or-opaque, and frame delays that add up to the timeline.
 *
 * A GIF pixel is clear or opaque, nothing between. Alpha is dithered to those two with a 4×4 ordered
 * (Bayer) pattern: a pixel shows where its alpha exceeds its cell's threshold, so a half-clear
 * shadow or box shows as every other pixel (half as dark over any page, as it looks in a video),
 * a soft edge thins out over its width, and only fully clear (alpha ≤ 8) and fully opaque
 * (alpha ≥ 248) pixels come out uniform. paletteuse alone cut at alpha 128: a `#00000080` shadow
 * came out solid black and a `#00ff0040` box vanished.
 *
 * No per-pixel expression runs per frame: the thresholds are drawn once, one frame of the GIF's
 * size (`geq` on that one frame), and each frame's alpha is compared with them by `blend`'s
 * subtract (max(0, alpha − threshold), in C) and a 256-entry `lut` (anything above 0 shows).
 */
import type { FilterGraph } from './filter-graph.ts';
import type { Quality } from '../composition/schema.ts';
import { GIF } from './encoder-settings.ts';
import { exactFps } from './frame-rate.ts';

/** The 4×4 Bayer index (0–15) of pixel (X, Y), as an ffmpeg expression: 4·M2(x, y) + M2(x/2, y/2), M2(i, j) = 2i + 3j − 4ij. */
const BAYER4 = (() => {
  const m2 = (i: string, j: string) => `(2*${i}+3*${j}-4*${i}*${j})`;
  return `(4*${m2('mod(X,2)', 'mod(Y,2)')}+${m2('mod(floor(X/2),2)', 'mod(floor(Y/2),2)')})`;
})();

/** One gray frame of W×H holding each pixel's threshold, 16·index + 8 (drawn once, then held by `blend`). */
export const ditherThresholds = (W: number, H: number): string[] =>
  [`color=c=black:s=${W}x${H}`, 'trim=end_frame=1', 'format=gray', `geq=lum='16*${BAYER4}+8'`];

/** Alpha (gray, top) against the thresholds (bottom), made 0 or 255: shown where alpha > threshold. */
export const ALPHA_DITHER = ['blend=all_mode=subtract:repeatlast=1', "lut=c0='255*gt(val,0)'"];

/**
 * Filters the frame stream `head` into the encoder's input `vout`: `cut` (to the frame's size)
 * first, then for a transparent GIF the alpha dithered, then the palette made and used.
 */
export const planGifOutput = (
  graph: FilterGraph, head: string,
  o: {
    readonly quality: Quality; readonly transparent: boolean; readonly frames: number; readonly cut: readonly string[];
    /** The GIF's frame size (after `cut`). */
    readonly size: { readonly width: number; readonly height: number };
  },
): string => {
  const g = GIF[o.quality];
  let prev = head;
  if (o.transparent) {
    const [keep, alphaOf] = [graph.label('gk'), graph.label('ga')];
    graph.chain([head], [...o.cut, 'format=rgba', 'split'], [keep, alphaOf]);
    const plane = graph.chain([alphaOf], ['alphaextract'], graph.label('gp'));
    const thresholds = graph.chain([], ditherThresholds(o.size.width, o.size.height), graph.label('gt'));
    const alpha = graph.chain([plane, thresholds], ALPHA_DITHER, graph.label('gd'));
    prev = graph.chain([keep, alpha], ['alphamerge'], graph.label('gm'));
  } else if (o.cut.length) {
    prev = graph.chain([head], [...o.cut], graph.label('gc'));
  }
  graph.chain([prev], ['split'], ['g1', 'g2']);
  // ffmpeg 5.1's palettegen in `diff` mode counts a pixel's colour when the next frame changes
  // it, so the colours of the last scene never reached the palette (a GIF ending on a white
  // card drew it green). One negated copy of the last frame, seen by palettegen alone, changes
  // every pixel of the last frame once more.
  const lastScene = g.statsMode === 'diff' ? ['tpad=stop=1:stop_mode=clone', `negate=enable='gte(n,${o.frames})'`] : [];
  graph.chain(['g1'], [...lastScene, `palettegen=max_colors=${g.colors}:stats_mode=${g.statsMode}`], 'pal');
  return graph.chain(['g2', 'pal'], [`paletteuse=dither=${g.dither}`], 'vout');
};

/**
 * The GIF muxer's `-final_delay`. Delays are whole centiseconds: each frame lasts until the next
 * one's start rounded to 1/100 s, and the last, by default, as long as the one before it, so at
 * 30 fps (3, 4, 3, 3, 4, 3, … cs) a 1 s GIF lasted 1.01 s. The last frame ends where the
 * timeline does instead: at round(seconds · 100) cs. A GIF has no sound to set its length, so
 * where `seconds` is no whole number of frames (1.3 s at 1 fps is one frame) the last frame is
 * held to the end, not cut at frames/fps (that GIF played 1.0 s).
 *
 * @param seconds the rendered length (the timeline's, or the range's).
 */
export const gifFinalDelay = (frames: number, fps: number, seconds: number): string[] => {
  const F = exactFps(fps);
  const cs = (n: number) => Math.round((n * 100) / F);
  return ['-final_delay', String(Math.max(0, Math.round(seconds * 100) - cs(frames - 1)))];
};
