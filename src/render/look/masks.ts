/**
 * `mask`: the clip shows only where an image or a video is light (`luma`) or opaque (`alpha`),
 * stretched over the clip's box. A video mask plays in step with the clip: its frame n is the mask
 * at the same clip-local time as the clip's frame n, however the render is cut into ranges.
 *
 * Also the one way every look module multiplies a clip's alpha by a grey picture.
 */
import { rateOf, resampleFilters, seekLead } from '../frame-rate.ts';
import { num } from '../easing.ts';
import type { FilterGraph } from '../filter-graph.ts';
import type { Size } from '../layout-box.ts';
import type { ClipLook } from './clip-look.ts';
import { decoderArgs, seekArgs } from '../plan-video-source.ts';
import { toPipelineColour } from '../source-colour.ts';

export interface MaskTiming {
  /** Frames of this part of the clip. */
  readonly N: number;
  readonly F: number;
  readonly tbDen: number | string;
  /** Clip-local seconds of the part's first frame. */
  readonly skip: number;
}

const retime = (t: MaskTiming) => [`settb=1/${t.tbDen}`, 'setpts=N*1000'];

/**
 * A grey stream of `box` size and N frames, white where the clip shows. Luma masks are read as
 * full-range grey (black 0, white 255, whatever the source's range) of the picture's BT.601 luma,
 * whatever matrix its file was made with; alpha masks by their alpha,
 * a VP8/VP9 mask decoded with libvpx as a clip's source is (ffmpeg's own decoder drops the alpha).
 */
export const maskStream = (graph: FilterGraph, mask: NonNullable<ClipLook['mask']>, box: Size, t: MaskTiming): string => {
  const { media } = mask;
  // A luma mask's brightness is the pipeline's (BT.601) luma of the picture: a BT.709 or BT.2020
  // file is first brought to the pipeline's numbers, as a clip showing it is, so the same picture
  // masks alike as a PNG, an untagged video or a camera file (its raw Y would weigh green more).
  const grey = mask.mode === 'alpha' ? ['format=rgba', 'alphaextract'] : [...toPipelineColour(media), 'format=gray'];
  const shape = [`scale=${box.w}:${box.h}:flags=bicubic`, 'setsar=1', ...grey, ...(mask.invert ? ['negate'] : [])];
  const still = media.video?.still || !media.duration;
  if (still) {
    const i = graph.input(media.path, decoderArgs(media));
    return graph.chain([`${i}:v`], ['trim=end_frame=1', ...shape, `loop=loop=${t.N - 1}:size=1:start=0`, ...retime(t)], graph.label('lm'));
  }
  const duration = media.duration!;
  if (t.skip >= duration - 1e-6) {
    // This part begins after the mask has ended: it holds the mask's last frame.
    const i = graph.input(media.path, [...decoderArgs(media), '-ss', num(Math.max(0, duration - 1))]);
    return graph.chain([`${i}:v`], [`fps=${rateOf(t.F)}`, ...shape, 'reverse', 'trim=end_frame=1', `loop=loop=${t.N - 1}:size=1:start=0`, ...retime(t)], graph.label('lm'));
  }
  const lead = seekLead(t.skip, media.video?.fps);
  const i = graph.input(media.path, [...decoderArgs(media), ...seekArgs(t.skip, (t.N + 2) / t.F, lead)]);
  return graph.chain([`${i}:v`], [
    ...resampleFilters(t.F, 1, lead), ...shape,
    `tpad=stop_mode=clone:stop_duration=${num(t.N / t.F)}`, `trim=end_frame=${t.N}`, ...retime(t),
  ], graph.label('lm'));
};

/** Whether the clip's mask changes from frame to frame (a video mask). */
export const maskMoves = (look: ClipLook | undefined): boolean =>
  !!look?.mask && !look.mask.media.video?.still && !!look.mask.media.duration;

/**
 * The picture `head` with its alpha multiplied by the grey `mask` (same size and frames). A
 * picture without alpha simply takes the mask as its alpha.
 */
export const multiplyAlpha = (graph: FilterGraph, head: string, mask: string, headHasAlpha: boolean): string => {
  if (!headHasAlpha) return graph.chain([head, mask], ['alphamerge'], graph.label('masked'));
  const [keep, alphaOf] = [graph.label('rgb'), graph.label('a')];
  graph.chain([head], ['split'], [keep, alphaOf]);
  const alpha = graph.chain([alphaOf], ['alphaextract'], graph.label('ax'));
  const product = graph.chain([alpha, mask], ['blend=all_mode=multiply'], graph.label('am'));
  return graph.chain([keep, product], ['alphamerge'], graph.label('masked'));
};
