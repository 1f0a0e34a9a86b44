/**
 * The alpha masks of the wipe-like transitions, as gray streams the size of the clip's picture,
 * white where the clip shows. Built once per clip window and moved or thresholded per frame:
 * - the straight wipes slide a fixed window over a half-white, half-black strip (a crop);
 * - every other reveal (diagonal wipes, iris, clock, barn doors, dissolve) thresholds a
 *   reveal-order map (reveal-map.ts) with a `lut` whose threshold a command file sets per frame,
 *   from the eased progress computed here, so every easing (Bézier, Elastic…) costs the same.
 */
import { rateOf } from '../frame-rate.ts';
import type { TransitionKind } from '../../composition/schema.ts';
import { num } from '../easing.ts';
import { q, type FilterGraph } from '../filter-graph.ts';
import type { Size } from '../layout-box.ts';
import type { Rect } from '../visible-window.ts';
import { invert, type Signal } from '../signal.ts';
import { OUT_CONTINUES, revealMap, type RevealKind } from './reveal-map.ts';
import { inProgress, outProgress, type ClipTransitions } from './transition-effects.ts';
import { KINDS } from './transition-kinds.ts';

/** The mask that plays during a window of the clip: its kind and the shown fraction over time. */
export interface ActiveMask { readonly kind: TransitionKind; readonly visible: Signal; readonly revealing: boolean }

const masked = (k: TransitionKind) => KINDS[k].family === 'wipe' || KINDS[k].family === 'reveal';

export const activeMask = (w: { from: number; to: number }, c: ClipTransitions): ActiveMask | undefined => {
  const { tin, tout, outStart } = c;
  if (tin && masked(tin.kind) && w.to <= tin.duration + 1e-9) {
    return { kind: tin.kind, visible: inProgress(tin), revealing: true };
  }
  if (tout && masked(tout.kind) && w.from >= outStart - 1e-9) {
    return { kind: tout.kind, visible: invert(outProgress(tout, outStart)), revealing: false };
  }
  return undefined;
};

export interface MaskFrames {
  /** Frames of the window. */
  readonly N: number;
  readonly fps: number;
  readonly tbDen: number | string;
  /** Clip-local time of the window's first frame. */
  readonly skip: number;
  /** Clip-local time as an expression of the chain's `t`. */
  readonly Tc: string;
  /** Unique name part for filter instances and side files. */
  readonly uid: string;
}

export const maskStream = (graph: FilterGraph, mask: ActiveMask, R: Size, f: MaskFrames, seed: number, view?: Rect): string =>
  (KINDS[mask.kind].family === 'wipe' ? wipeMask(graph, mask, R, f, view) : revealMask(graph, mask, R, f, seed, view));

/** (visible-window.ts) The mask of the whole picture R, cut to the window of it that is drawn. */
const cutTo = (view?: Rect): string[] => (view ? [`crop=w=${view.w}:h=${view.h}:x=${view.x}:y=${view.y}:exact=1`] : []);

/**
 * A gray mask the size of the picture, white where the clip shows: a fixed-size window sliding
 * over a strip that is half white, half black. `wipeRight` in shows the left part first; out, it
 * hides the left part first (the edge keeps travelling right). Likewise for the other directions.
 */
const wipeMask = (graph: FilterGraph, wipe: ActiveMask, R: Size, f: MaskFrames, view?: Rect): string => {
  const horizontal = wipe.kind === 'wipeLeft' || wipe.kind === 'wipeRight';
  const forward = wipe.kind === 'wipeRight' || wipe.kind === 'wipeDown';
  const keepStart = wipe.revealing ? forward : !forward;
  const v = `clip(${wipe.visible.expr(f.Tc)},0,1)`;
  const size = horizontal ? R.w : R.h;
  // [white | black] slid by size·(1−v) keeps the start; [black | white] slid by size·v keeps the end.
  const offset = keepStart ? `${size}*(1-${v})` : `${size}*${v}`;
  // Through RGB: \`color\` drawn straight in gray is video range (white 235, black 16), which made
  // the shown part 92 % opaque and the hidden part 6 % (the whole frame dimmed for the wipe).
  const half = (c: string) => graph.chain([], [`color=c=${c}:s=${R.w}x${R.h}:r=${rateOf(f.fps)}`, 'format=rgb24', 'format=gray', 'trim=end_frame=1'], graph.label('half'));
  const [a, b] = keepStart ? [half('white'), half('black')] : [half('black'), half('white')];
  return graph.chain([a, b], [
    horizontal ? 'hstack=inputs=2' : 'vstack=inputs=2',
    `loop=loop=${f.N - 1}:size=1:start=0`, `settb=1/${f.tbDen}`, 'setpts=N*1000',
    `crop=w=${R.w}:h=${R.h}:x=${horizontal ? q(offset) : 0}:y=${horizontal ? 0 : q(offset)}:exact=1`, ...cutTo(view),
  ], graph.label('mask'));
};

/** Soft edge of a thresholded map, in map levels (of 255): antialiases the edge and lets it move by fractions of a level. */
const EDGE = 3;

/** The lut expression that shows the map's pixels ordered at or below `shown`. */
export const thresholdExpr = (kind: RevealKind, revealing: boolean, shown: number): string => {
  const s = Math.min(1, Math.max(0, shown));
  // lut clips its results to 0–255, so the linear ramp needs no clip() (and no commas, which a
  // command file would take for a separator).
  if (!revealing && OUT_CONTINUES[kind]) return `255-(${num((1 - s) * (255 + EDGE))}-val)*${num(255 / EDGE)}`;
  return `(${num(s * (255 + EDGE))}-val)*${num(255 / EDGE)}`;
};

const revealMask = (graph: FilterGraph, mask: ActiveMask, R: Size, f: MaskFrames, seed: number, view?: Rect): string => {
  const kind = mask.kind as RevealKind;
  // image2: the input whitelist names the demuxers Montage reads (not pgm_pipe).
  const map = graph.input(graph.sideFile(`map-${f.uid}.pgm`, revealMap(kind, R, seed)), ['-f', 'image2']);
  const upscale = [`scale=${R.w}:${R.h}:flags=${kind === 'dissolve' ? 'neighbor' : 'bilinear'}`];
  const name = `lut@m${f.uid}`;
  const values = Array.from({ length: f.N }, (_, n) => thresholdExpr(kind, mask.revealing, mask.visible.at(f.skip + n / f.fps)));
  const commands = values.flatMap((v, n) => (n > 0 && v !== values[n - 1] ? [`${num(Math.max(0, n / f.fps - 0.5 / f.fps))} ${name} c0 '${v}';`] : []));
  return graph.chain([`${map}:v`], [
    'trim=end_frame=1', ...upscale, 'format=gray', ...cutTo(view),
    `loop=loop=${f.N - 1}:size=1:start=0`, `settb=1/${f.tbDen}`, 'setpts=N*1000',
    ...(commands.length ? [`sendcmd=f=${graph.sideFile(`mcmd-${f.uid}.txt`, commands.join('\n') + '\n')}`] : []),
    `${name}=c0=${q(values[0])}`,
  ], graph.label('mask'));
};
