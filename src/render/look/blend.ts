/**
 * `blend`: how a clip combines with what lies beneath, as the W3C Compositing and Blending spec
 * defines each separable mode, in RGB:
 *
 *   result = (1 − αs)·Cb + αs·B(Cb, Cs)
 *
 * where Cb is the backdrop, Cs the clip's colour and αs its alpha (with opacity, masks, corners and
 * transitions). B is computed exactly with `lut2`, whose expression ffmpeg evaluates once per pair
 * of 8-bit values to fill a table (65,536 entries per plane), then looks up per pixel: no per-pixel
 * expression. The clip is first laid on a transparent frame at its place, so the table sees the
 * backdrop and the clip pixel for pixel; the result, carrying the clip's alpha, is laid over the
 * backdrop. All of it only on the clip's own frames: the rest of the timeline is untouched.
 */
import { rateOf, timeBaseDen } from '../frame-rate.ts';
import type { BlendMode } from '../../composition/schema.ts';
import { num } from '../easing.ts';
import { q, type FilterGraph } from '../filter-graph.ts';
import type { Frame } from '../timeline.ts';

export type SeparableMode = Exclude<BlendMode, 'normal'>;

/** B(Cb, Cs) on colours in [0, 1], exactly as the spec writes it (`add` is plus, clipped at 1). */
export const BLEND_FUNCTIONS: Record<SeparableMode, (cb: number, cs: number) => number> = {
  multiply: (b, s) => b * s,
  screen: (b, s) => b + s - b * s,
  overlay: (b, s) => BLEND_FUNCTIONS.hardLight(s, b),
  darken: (b, s) => Math.min(b, s),
  lighten: (b, s) => Math.max(b, s),
  colorDodge: (b, s) => (b === 0 ? 0 : s === 1 ? 1 : Math.min(1, b / (1 - s))),
  colorBurn: (b, s) => (b === 1 ? 1 : s === 0 ? 0 : 1 - Math.min(1, (1 - b) / s)),
  hardLight: (b, s) => (s <= 0.5 ? b * 2 * s : b + (2 * s - 1) - b * (2 * s - 1)),
  softLight: (b, s) => {
    if (s <= 0.5) return b - (1 - 2 * s) * b * (1 - b);
    const d = b <= 0.25 ? ((16 * b - 12) * b + 4) * b : Math.sqrt(b);
    return b + (2 * s - 1) * (d - b);
  },
  difference: (b, s) => Math.abs(b - s),
  exclusion: (b, s) => b + s - 2 * b * s,
  add: (b, s) => Math.min(1, b + s),
};

/** The same functions as lut2 expressions of x (backdrop) and y (clip), 8-bit values 0–255. */
export const BLEND_EXPRESSIONS: Record<SeparableMode, string> = {
  multiply: 'x*y/255',
  screen: 'x+y-x*y/255',
  overlay: 'if(lte(x,127.5),2*x*y/255,255-2*(255-x)*(255-y)/255)',
  darken: 'min(x,y)',
  lighten: 'max(x,y)',
  colorDodge: 'if(eq(x,0),0,if(eq(y,255),255,min(255,255*x/(255-y))))',
  colorBurn: 'if(eq(x,255),255,if(eq(y,0),0,255-min(255,255*(255-x)/y)))',
  hardLight: 'if(lte(y,127.5),2*x*y/255,255-2*(255-x)*(255-y)/255)',
  softLight: 'if(lte(y,127.5),x-(1-y/127.5)*x*(1-x/255),x+(y/127.5-1)*(if(lte(x,63.75),((16*x/255-12)*x/255+4)*x,255*sqrt(x/255))-x))',
  difference: 'abs(x-y)',
  exclusion: 'x+y-2*x*y/255',
  add: 'min(255,x+y)',
};

export interface BlendedLayer {
  readonly label: string;
  readonly x: string;
  readonly y: string;
  readonly mode: SeparableMode;
  /** The output frames the layer covers: [first, first + count). */
  readonly first: number;
  readonly count: number;
  /**
   * Where the layer lies when it neither moves nor changes size (even coordinates, as 4:2:0
   * overlays place it): then only that part of the backdrop is blended. A layer reaching out of the
   * frame is blended on the part inside it: `crop` is where that part begins in the layer.
   */
  readonly box?: {
    readonly x: number; readonly y: number; readonly w: number; readonly h: number;
    readonly crop?: { readonly x: number; readonly y: number };
  };
  /**
   * A still whose colours are the same on every frame (a yuva420p layer whose alpha alone may
   * change): its one frame and the filters that repeat it onto the layer's frames. With `box`,
   * its colours are converted to RGB once and repeated; the alpha is taken from each frame.
   */
  readonly still?: { readonly label: string; readonly repeat: readonly string[] };
}

/**
 * An overlay position that is plain arithmetic (numbers, + − × ÷, brackets; no time, no overlay
 * size), as a number; undefined for anything else.
 */
export const constantOf = (expr: string): number | undefined => {
  const tokens = expr.match(/\d+(?:\.\d+)?(?:e[+-]?\d+)?|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const atom = (): number => {
    const t = tokens[i++];
    if (t === '-') return -atom();
    if (t === '+') return atom();
    if (t === '(') { const v = sum(); if (tokens[i++] !== ')') throw new Error('bracket'); return v; }
    if (t !== undefined && /^\d/.test(t)) return Number(t);
    throw new Error('not arithmetic');
  };
  const product = (): number => {
    let v = atom();
    while (tokens[i] === '*' || tokens[i] === '/') v = tokens[i++] === '*' ? v * atom() : v / atom();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  try {
    const v = sum();
    return i === tokens.length && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The layer's fixed place in the frame, if it has one (see BlendedLayer.box), where overlay would
 * put it: on 4:2:0's even grid (`evenGrid`, the video formats), or on any pixel (RGB: stills, GIF).
 */
export const fixedBox = (at: { x: string; y: string }, size: { w: number; h: number }, frame: Frame, evenGrid = true): BlendedLayer['box'] => {
  const [x, y] = [constantOf(at.x), constantOf(at.y)];
  if (x === undefined || y === undefined) return undefined;
  // As overlay rounds a position: towards zero, then (4:2:0) down to even. In RGB the blended
  // layer was put one pixel up and left of where the same layer, unblended, is drawn.
  const grid = (n: number) => (evenGrid ? Math.trunc(n) & ~1 : Math.trunc(n));
  const box = { x: grid(x), y: grid(y), w: size.w, h: size.h };
  if (box.x >= 0 && box.y >= 0 && box.x + box.w <= frame.width && box.y + box.h <= frame.height) return box;
  // Partly outside: the part inside, when its sides are even (4:2:0 crops).
  const [x0, y0] = [Math.max(0, box.x), Math.max(0, box.y)];
  const [x1, y1] = [Math.min(frame.width, box.x + box.w), Math.min(frame.height, box.y + box.h)];
  if (x1 - x0 < 2 || y1 - y0 < 2 || (evenGrid && [x1 - x0, y1 - y0].some((n) => n % 2))) return undefined;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0, crop: { x: x0 - box.x, y: y0 - box.y } };
};

/**
 * B(Cb, Cs) of the backdrop part (gbrp, or gbrap when `transparent`) and the clip's colour `cs`
 * (gbrp), as gbrp. Over a backdrop with alpha (a transparent background) the spec's
 * backdrop term applies: (1 − αb)·Cs + αb·B(Cb, Cs), so over nothing the clip shows as itself; the
 * mix is one overlay of B, carrying αb, on Cs.
 */
const mixOf = (graph: FilterGraph, cbOrCba: string, cs: string, e: string, transparent: boolean): string => {
  if (!transparent) return graph.chain([cbOrCba, cs], [`lut2=c0=${e}:c1=${e}:c2=${e}`], graph.label('bm'));
  const [cbc, cba, csl, csu] = [graph.label('cb'), graph.label('ab'), graph.label('cs'), graph.label('cs')];
  graph.chain([cbOrCba], ['split'], [cbc, cba]);
  graph.chain([cs], ['split'], [csl, csu]);
  const cb = graph.chain([cbc], ['format=gbrp'], graph.label('cb'));
  const ab = graph.chain([cba], ['alphaextract'], graph.label('ab'));
  const b = graph.chain([cb, csl], [`lut2=c0=${e}:c1=${e}:c2=${e}`], graph.label('bm'));
  const withAlpha = graph.chain([b, ab], ['alphamerge'], graph.label('bm'));
  return graph.chain([csu, withAlpha], ['overlay=x=0:y=0:eof_action=pass:repeatlast=0:format=gbrp'], graph.label('bm'));
};

/**
 * Lays `layer` over `backdrop` (the frame so far: yuv420p, or yuva420p when `transparent`) with its
 * blend mode; returns the new frame's label. The last overlay keeps the backdrop's alpha.
 */
export const blendOver = (graph: FilterGraph, backdrop: string, layer: BlendedLayer, frame: Frame, transparent = false): string => {
  // The graph's own time base: at NTSC rates 1001/60000000 exactly, not 1/59940, whose frames
  // fell a hair after the backdrop's and were overlaid one frame late (the first not at all).
  const tbDen = timeBaseDen(frame.fps);
  const [keep, under] = [graph.label('bk'), graph.label('bu')];
  graph.chain([backdrop], ['split'], [keep, under]);
  const e = q(BLEND_EXPRESSIONS[layer.mode]);
  const frames = `trim=start_frame=${layer.first}:end_frame=${layer.first + layer.count}`;
  const { box } = layer;
  const backdropFormat = transparent ? 'format=gbrap' : 'format=gbrp';
  if (box) {
    // Only the layer's own rectangle of the backdrop is blended: the layer is its own canvas.
    const cbBox = graph.chain([under], [frames, `crop=w=${box.w}:h=${box.h}:x=${box.x}:y=${box.y}:exact=1`, backdropFormat], graph.label('cb'));
    const [c, a] = [graph.label('cs'), graph.label('as')];
    const inside = box.crop ? [`crop=w=${box.w}:h=${box.h}:x=${box.crop.x}:y=${box.crop.y}:exact=1`] : [];
    let alphaBox: string;
    let csBox: string;
    if (layer.still) {
      alphaBox = graph.chain([layer.label], [...inside, 'alphaextract'], graph.label('sa'));
      csBox = graph.chain([layer.still.label], [...inside, 'format=gbrp', ...layer.still.repeat], graph.label('sc'));
    } else {
      graph.chain([layer.label], [...inside, 'format=gbrap', 'split'], [c, a]);
      alphaBox = graph.chain([a], ['alphaextract'], graph.label('sa'));
      csBox = graph.chain([c], ['format=gbrp'], graph.label('sc'));
    }
    const mixedBox = mixOf(graph, cbBox, csBox, e, transparent);
    const resultBox = graph.chain([mixedBox, alphaBox], ['alphamerge'], graph.label('bl'));
    return graph.chain([keep, resultBox], [`overlay=x=${box.x}:y=${box.y}:eof_action=pass:repeatlast=0:format=${graph.pixels.overlay}`], graph.label('v'));
  }
  const cb = graph.chain([under], [frames, backdropFormat], graph.label('cb'));
  const canvas = graph.chain([], [
    `color=c=black@0:s=${frame.width}x${frame.height}:r=${rateOf(frame.fps)}`, `trim=end_frame=${layer.count}`, `format=${graph.pixels.canvas.pix}`,
    `settb=1/${tbDen}`, `setpts=(N+${layer.first})*1000`,
  ], graph.label('cv'));
  const [colour, alphaOf] = [graph.label('cs'), graph.label('as')];
  graph.chain([canvas, layer.label], [
    `overlay=x='${layer.x}':y='${layer.y}':eof_action=pass:repeatlast=0:format=${graph.pixels.canvas.overlay}`, 'format=gbrap', 'split',
  ], [colour, alphaOf]);
  const alpha = graph.chain([alphaOf], ['alphaextract'], graph.label('sa'));
  const cs = graph.chain([colour], ['format=gbrp'], graph.label('sc'));
  const mixed = mixOf(graph, cb, cs, e, transparent);
  const result = graph.chain([mixed, alpha], ['alphamerge'], graph.label('bl'));
  return graph.chain([keep, result], [`overlay=x=0:y=0:eof_action=pass:repeatlast=0:format=${graph.pixels.overlay}`], graph.label('v'));
};
