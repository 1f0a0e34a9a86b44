/**
 * Ken Burns effects within a clip's box: slow zooms about the centre and pans across overscanned
 * content, linear over the clip's whole length, on the output's frame grid (so any range of the
 * clip renders the same).
 *
 * Pans move by fractions of a pixel (1.1): the view at position p is the blend of the whole-pixel
 * crops at ⌊p⌋ and ⌊p⌋ + 1, weighted by p's fraction (set per frame by a command file). That is
 * linear interpolation along the pan's axis, exactly what a sub-pixel resampler does, for the cost
 * of one `blend` (a crop is free): a feature's position advances every frame by the ideal amount,
 * where the whole-pixel crop alone stepped 2, 1, 2, 1 px. Zooms are a sub-pixel affine map
 * (subpixel-transform.ts; docs/benchmarks.md, "Smooth Ken Burns", for its cost against zoompan), or,
 * on a still whose box the frame shows whole, swscale shrinking a window of one of four larger
 * copies at a ratio chosen per frame, where that is exact enough (zoom-ratio.ts, cheaper, and
 * steadier in sharpness from frame to frame).
 */
import type { EffectKind } from '../composition/schema.ts';
import { num } from './easing.ts';
import { q, type FilterGraph } from './filter-graph.ts';
import { zoomFilters } from './subpixel-transform.ts';
import type { Size } from './layout-box.ts';
import type { ZoomByRatio } from './zoom-ratio.ts';

/** Ken Burns: zoom 1 → 1.15, and the overscan pans travel across. */
export const EFFECT_ZOOM = 1.15;

/**
 * How much larger than the box the content is drawn: pans travel across EFFECT_ZOOM× content;
 * zooms magnify box-sized content (1.1), since the sub-pixel map only ever enlarges: bilinear
 * sampling that shrinks skips detail unevenly, and a thin line then moved in fits and starts.
 */
export const overscanOf = (effect: EffectKind): number => (effect === 'zoomIn' || effect === 'zoomOut' ? 1 : EFFECT_ZOOM);

export interface KenBurnsFrames {
  /** The clip's box, and the overscanned content (EFFECT_ZOOM × B) the effect moves over. */
  readonly B: Size;
  readonly E: Size;
  /** Clip-local time of the first frame, frame rate, time base denominator, clip length, frames. */
  readonly skip: number;
  readonly F: number;
  readonly tbDen: number | string;
  readonly len: number;
  readonly N: number;
  /** Unique name part for filter instances and side files. */
  readonly uid: string;
  /** (visible-window.ts) The zoom's fixed point in B's pixels, where B is a window of the clip's box. */
  readonly centre?: { readonly x: number; readonly y: number };
  /** (zoom-ratio.ts) A zoom drawn by swscale at a chosen ratio and a shift, where it is exact enough: in place of the map. */
  readonly window?: ZoomByRatio;
}

/** The zoom of `zoomIn` / `zoomOut` at clip-local t (what zoomFilters' expression computes). */
export const zoomAt = (effect: 'zoomIn' | 'zoomOut', len: number) => (t: number): number => {
  const p = progress(t, len);
  return effect === 'zoomIn' ? 1 + (EFFECT_ZOOM - 1) * p : EFFECT_ZOOM - (EFFECT_ZOOM - 1) * p;
};

const EPS = 1e-6;
const EPS_TEXT = '0.000001';

/** Progress of a pan or zoom at clip-local t: linear over the whole clip. */
const progress = (t: number, len: number) => Math.min(1, Math.max(0, t / len));

/** The pan's offset (px, along its axis) into the overscanned content at clip-local t. */
export const panOffset = (effect: EffectKind, k: Pick<KenBurnsFrames, 'B' | 'E' | 'len'>, t: number): number => {
  const p = progress(t, k.len);
  const dx = k.E.w - k.B.w;
  const dy = k.E.h - k.B.h;
  switch (effect) {
    case 'panLeft': return dx * p;
    case 'panRight': return dx * (1 - p);
    case 'panUp': return dy * p;
    case 'panDown': return dy * (1 - p);
    default: return 0;
  }
};

/**
 * Adds the effect to the clip's chain. Zooms append to `chain`; a pan needs two branches, so it
 * ends `chain` at `head`, builds the blend, empties `chain` and returns the new head.
 */
export const kenBurns = (graph: FilterGraph, effect: EffectKind, k: KenBurnsFrames, head: string, chain: string[]): string => {
  const { B, E, skip, F, len } = k;
  const P = (t: string) => `clip(${t}/${num(len)},0,1)`;
  if (effect === 'zoomIn' || effect === 'zoomOut') {
    // (1.1) A sub-pixel affine map of the box's content (E = B) enlarging it z× about its centre:
    // zoompan cropped a whole-pixel window of overscanned content, so features stepped unevenly
    // and went backwards.
    const z = (T: string) => (effect === 'zoomIn' ? `(1+${num(EFFECT_ZOOM - 1)}*${P(T)})` : `(${num(EFFECT_ZOOM)}-${num(EFFECT_ZOOM - 1)}*${P(T)})`);
    chain.push(...(k.window ? k.window.perFrame(graph) : zoomFilters(B, E, z, skip, F, k.centre)));
    return head;
  }
  const horizontal = effect === 'panLeft' || effect === 'panRight';
  const T = skip ? `(t+${num(skip)})` : 't';
  const dx = E.w - B.w;
  const dy = E.h - B.h;
  const offset = (() => {
    switch (effect) {
      case 'panLeft': return `${dx}*${P(T)}`;
      case 'panRight': return `${dx}*(1-${P(T)})`;
      case 'panUp': return `${dy}*${P(T)}`;
      default: return `${dy}*(1-${P(T)})`;
    }
  })();
  const at = (o: string) => (horizontal
    ? `crop=w=${B.w}:h=${B.h}:x=${q(o)}:y=${dy / 2}:exact=1`
    : `crop=w=${B.w}:h=${B.h}:x=${dx / 2}:y=${q(o)}:exact=1`);
  // The fraction of each frame's offset, as the weight of the crop one pixel further on.
  // Both sides floor the offset plus EPS, so that ffmpeg's and this code's doubles, which may
  // differ in the last bits, agree on the whole pixel whenever the offset is (nearly) whole.
  const fractions = Array.from({ length: k.N }, (_, n) => {
    const o = panOffset(effect, k, skip + n / F);
    return num(Math.max(0, Math.round((o - Math.floor(o + EPS)) * 1000) / 1000));
  });
  const name = `blend@k${k.uid}`;
  const commands = fractions.flatMap((f, n) => (n > 0 && f !== fractions[n - 1] ? [`${num(Math.max(0, n / F - 0.5 / F))} ${name} all_opacity ${f};`] : []));
  if (commands.length) chain.push(`sendcmd=f=${graph.sideFile(`kb-${k.uid}.txt`, commands.join('\n') + '\n')}`);
  const [a, b] = [graph.label('kba'), graph.label('kbb')];
  graph.chain([head], [...chain, 'split'], [a, b]);
  chain.length = 0;
  // Whole-pixel crops at ⌊p⌋ (below) and ⌊p⌋ + 1 (above, weighted by p's fraction).
  const below = graph.chain([a], [at(`floor(${offset}+${EPS_TEXT})`)], graph.label('kbf'));
  const above = graph.chain([b], [at(`min(floor(${offset}+${EPS_TEXT})+1,${horizontal ? dx : dy})`)], graph.label('kbc'));
  return graph.chain([above, below], [`${name}=all_mode=normal:all_opacity=${fractions[0]}`], graph.label('kb'));
};
