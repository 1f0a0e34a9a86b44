/**
 * Sub-pixel motion (issue 12, "Ken Burns judders"): zooms, keyframed scale and x/y, and the
 * transitions that move or resize a clip, drawn at fractional positions and sizes.
 *
 * ffmpeg 5.1 places and sizes pictures in whole pixels (overlay even rounds x and y to the chroma
 * grid; scale and zoompan take integer sizes and crop windows), so a feature's position stepped
 * 2, 1, 2, 1 px and went backwards when a zoom's window size and position rounded apart. Here the
 * fractional part of the motion is one `perspective` filter (sense=destination, bilinear, slice
 * threaded, yuva420p kept): an affine map of the frame onto itself, its corners expressions of the
 * filter's frame counter `in` (its only variables are W, H, in and on; `in` is 1 on the first frame). The frame size on the link
 * stays constant (ffmpeg crashed when sub-pixel sizes changed per frame): the picture is padded to
 * a fixed canvas a few pixels larger than its largest extent, scaled and shifted by its fraction
 * inside it, and the canvas is overlaid at the whole (even) part of the position.
 *
 * Moves at scale 1 (keyframed x/y, slides, and a resting place with a fraction) skip the map: two
 * whole-pixel crops one pixel apart, blended by the fraction (shiftLayer), cost a fraction of it.
 * Costs fall on the frames that move: a clip's windows (clipWindows) with no motion and a whole,
 * even resting place keep the whole-pixel path, and a resting window at another scale evaluates
 * the map once (eval=init).
 */
import { num } from './easing.ts';
import { q, type FilterGraph } from './filter-graph.ts';
import type { Size } from './layout-box.ts';
import { anchorOf } from './layout-box.ts';
import { constantCurve, keyframeCurve } from './keyframe-curve.ts';
import { slideReach } from './transitions/slide-reach.ts';
import { mix, type Signal } from './signal.ts';
import { inProgress, outProgress, type ClipTransitions } from './transitions/transition-effects.ts';
import { KINDS } from './transitions/transition-kinds.ts';
import { frameCut, type FrameCut } from './frame-cut.ts';
import type { TimelineClip } from './timeline.ts';

/** Margin (px) around the picture on its canvas: even (the chroma grid), and room for the fraction (< 2). */
export const CANVAS_MARGIN = 2;
/** Smallest scale handed to the map: a zero scale has no inverse. */
const MIN_SCALE = 1e-3;
const EPS = '0.0000001';

/** A signal from its value and its expression. */
const signal = (at: (t: number) => number, expr: (tv: string) => string, animated: boolean): Signal => ({ at, expr, animated });

/**
 * `perspective` mapping a w×h frame onto itself by the affine map out = o + s·in per axis (in edge
 * coordinates: pixel i covers [i, i + 1)). The filter maps pixel indices (centres), so each corner
 * is shifted by half a pixel. `sx`, `ox`… are expressions (of `in`, or constants with `init`).
 */
export const affineMap = (size: Size, m: { sx: string; sy: string; ox: string; oy: string }, evalMode: 'frame' | 'init'): string => {
  const x0 = `${m.ox}-0.5+0.5*${m.sx}`;
  const y0 = `${m.oy}-0.5+0.5*${m.sy}`;
  const x1 = `${x0}+${size.w}*${m.sx}`;
  const y2 = `${y0}+${size.h}*${m.sy}`;
  return `perspective=x0=${q(x0)}:y0=${q(y0)}:x1=${q(x1)}:y1=${q(y0)}:x2=${q(x0)}:y2=${q(y2)}:x3=${q(x1)}:y3=${q(y2)}`
    + `:interpolation=linear:sense=destination:eval=${evalMode}`;
};

/**
 * Ken Burns zoom on E (the box's content, at overscan resolution when E > B): zoom z shows E's
 * central 1/z, scaled to the box B. The map scales E about its centre by B·z/E onto the centre of a
 * B-sized window, which a whole-pixel crop then cuts out (the window does not move, so the crop is
 * exact). `z` is an expression of clip-local time `T`. With E = B (what ken-burns.ts passes) the
 * map only enlarges (z ≥ 1), which bilinear sampling does evenly.
 */
export const zoomFilters = (B: Size, E: Size, z: (T: string) => string, skip: number, F: number, centre?: { x: number; y: number }): string[] => {
  const T = `(${num(skip)}+(in-1)/${num(F)})`;
  const cx = Math.floor((E.w - B.w) / 2);
  const cy = Math.floor((E.h - B.h) / 2);
  const sx = B.w === E.w ? z(T) : `(${z(T)}*${num(B.w / E.w)})`;
  const sy = B.h === E.h ? z(T) : `(${z(T)}*${num(B.h / E.h)})`;
  // `centre` (with E = B: a window of a larger box, visible-window.ts): the fixed point of the
  // zoom, in the window's pixels, where it is not the window's own centre.
  const [px, py] = centre && E.w === B.w && E.h === B.h ? [centre.x, centre.y] : [E.w / 2, E.h / 2];
  return [
    affineMap(E, { sx, sy, ox: `${num(cx + B.w / 2 - E.w / 2 + px)}-${num(px)}*${sx}`, oy: `${num(cy + B.h / 2 - E.h / 2 + py)}-${num(py)}*${sy}` }, 'frame'),
    ...(E.w === B.w && E.h === B.h ? [] : [`crop=w=${B.w}:h=${B.h}:x=${cx}:y=${cy}:exact=1`]),
  ];
};

/**
 * Where the drawn picture's top-left corner lies (output px) at clip-local t: the anchor, the
 * offset (keyframed or not), the centring of a scaled picture on its box, and the slides.
 * The same arithmetic as the whole-pixel placement in plan-visual-clip.ts, with the drawn size
 * R·d in place of overlay_w.
 */
export const placementSignals = (
  clip: TimelineClip, frame: { width: number; height: number }, B: Size, R: Size, dynW: Signal, dynH: Signal, tr: ClipTransitions,
): { x: Signal; y: Signal } => {
  const { ax, ay } = anchorOf(clip.position);
  const ox = clip.keyframes.x ? keyframeCurve(clip.keyframes.x) : constantCurve(clip.offset.x);
  const oy = clip.keyframes.y ? keyframeCurve(clip.keyframes.y) : constantCurve(clip.offset.y);
  const axis = (a: number, W: number, b: number, r: number, o: Signal, d: Signal): Signal => {
    const k = ((1 - 2 * a) * b - r) / 2;
    return signal((t) => a * W + o.at(t) * W + d.at(t) * k, (tv) => `(${num(a * W)}+${o.expr(tv)}*${W}+${d.expr(tv)}*${num(k)})`, o.animated || d.animated);
  };
  let x = axis(ax, frame.width, B.w, R.w, ox, dynW);
  let y = axis(ay, frame.height, B.h, R.h, oy, dynH);
  const reach = slideReach(clip);
  const drawnW = signal((t) => -R.w * dynW.at(t) - reach.right, (tv) => `(-${R.w}*${dynW.expr(tv)}-${num(reach.right)})`, dynW.animated);
  const drawnH = signal((t) => -R.h * dynH.at(t) - reach.bottom, (tv) => `(-${R.h}*${dynH.expr(tv)}-${num(reach.bottom)})`, dynH.animated);
  const at = (v: number) => constantCurve(v);
  const { tin, tout } = tr;
  if (tin && KINDS[tin.kind].family === 'slide') {
    const e = inProgress(tin);
    if (tin.kind === 'slideRight') x = mix(drawnW, x, e);
    if (tin.kind === 'slideLeft') x = mix(at(frame.width + reach.left), x, e);
    if (tin.kind === 'slideDown') y = mix(drawnH, y, e);
    if (tin.kind === 'slideUp') y = mix(at(frame.height + reach.top), y, e);
  }
  if (tout && KINDS[tout.kind].family === 'slide') {
    const e = outProgress(tout, tr.outStart);
    if (tout.kind === 'slideRight') x = mix(x, at(frame.width + reach.left), e);
    if (tout.kind === 'slideLeft') x = mix(x, drawnW, e);
    if (tout.kind === 'slideDown') y = mix(y, at(frame.height + reach.top), e);
    if (tout.kind === 'slideUp') y = mix(y, drawnH, e);
  }
  return { x, y };
};

/** Whether a clip moves or resizes anywhere: keyframed x/y, a changing size, a slide. */
export const clipMoves = (clip: TimelineClip, dynamicSize: boolean, tr: ClipTransitions): boolean =>
  dynamicSize || !!clip.keyframes.x?.length || !!clip.keyframes.y?.length
  || [tr.tin, tr.tout].some((t) => t && KINDS[t.kind].family === 'slide');

/** A range that holds every frame of the timeline: for the frames of a whole clip window. */
export const WHOLE = { start: 0, end: Infinity } as const;

/**
 * Clip-local times where keyframed scale, x or y start and stop moving: the clip is drawn in
 * separate windows there (clipWindows), so the still parts before the first key and after the last
 * are drawn as still pictures, in a whole render as in a chunk that holds only them (a picture
 * resting at its keyed scale after the motion was drawn sized up from half its size, softer than
 * the same frames rendered as a range).
 */
export const motionKeyEnds = (clip: TimelineClip): number[] =>
  (['scale', 'x', 'y'] as const).flatMap((k) => {
    const keys = clip.keyframes[k];
    if (!keys || keys.length < 2 || !keyframeCurve(keys).animated) return [];
    const times = keys.map((key) => key.time);
    // The frame right at the first key still rests: the motion's window starts a hair after it.
    const [from, to] = [Math.min(...times), Math.max(...times)];
    return [...(from > 0 && from < clip.length ? [Math.min(to, from + REST_HAIR)] : []), ...(to > 0 && to < clip.length ? [to] : [])];
  });

/**
 * Seconds a moving window starts after the motion does, so the frame right where it begins (still
 * at rest) is drawn with the rest: more than clipFrames' tolerance (1e-6 of a frame) at any rate,
 * far less than a frame.
 */
export const REST_HAIR = 1e-4;

export interface SubpixelLayer {
  /**
   * Adds the layer's motion after `head` and `chain` (everything that sizes its buffers from the
   * link), as kenBurns does: appends to `chain`, or ends it, branches, empties it and returns the
   * new head.
   */
  readonly apply: (graph: FilterGraph, head: string, chain: string[]) => string;
  /** Overlay position of the canvas (expressions of output time, whole even pixels). */
  readonly x: string;
  readonly y: string;
  /** The canvas: the size of the layer's frames. */
  readonly size: Size;
  /**
   * Every frame of the window gets the same map and place (a resting window): a still's one frame
   * can go through it before it is repeated, the same pixels on every frame for one frame's work.
   */
  readonly still: boolean;
}

/**
 * The picture (R, already rotated) drawn at x(t), y(t) with scale sw(t), sh(t) on a fixed canvas,
 * for the window's N frames from clip-local `skip`. `Tovl` is clip-local time as an overlay
 * expression. Undefined when every frame sits at an even whole pixel at scale 1: the whole-pixel
 * path is then exact.
 *
 * Bilinear sampling that shrinks skips detail unevenly (a thin line then moves in fits and
 * starts), so a picture that shrinks in the window is first scaled once (a fixed size, filtered
 * properly) to its smallest size there, or half its largest, whichever is larger, and the map
 * enlarges from that.
 */
export const subpixelLayer = (o: {
  R: Size; sw: Signal; sh: Signal; x: Signal; y: Signal; skip: number; N: number; F: number; Tovl: string; uid: string;
  /** The frames of the whole clip window (on the timeline's grid), whatever part of it is rendered. */
  whole?: { readonly skip: number; readonly count: number };
  /** The output frame, where only the frame's part of the picture may be drawn (no shadow reads beyond it). */
  frame?: { readonly width: number; readonly height: number };
}): SubpixelLayer | undefined => {
  const { R, sw, sh, x, y, skip, N, F } = o;
  const valuesAt = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i / F).map((t) => [x.at(t), y.at(t), sw.at(t), sh.at(t)]);
  const vals = valuesAt(skip, N);
  // The size the map starts from is chosen over the whole window, so a chunk or range draws its
  // part of the window from the same picture as the whole render (sharper or softer alike).
  const spanVals = o.whole && o.whole.count > 0 ? valuesAt(o.whole.skip, o.whole.count) : vals;
  const whole = (v: number) => Math.abs(v / 2 - Math.round(v / 2)) < 1e-6;
  if (vals.every(([vx, vy, a, b]) => whole(vx) && whole(vy) && Math.abs(a - 1) < 1e-9 && Math.abs(b - 1) < 1e-9)) return undefined;
  const moving = vals.some((v) => v.some((c, i) => Math.abs(c - vals[0][i]) > 1e-9));
  if (vals.every(([, , a, b]) => Math.abs(a - 1) < 1e-9 && Math.abs(b - 1) < 1e-9)) return shiftLayer(o, vals);
  // The size the map starts from (P), and the factors that take R to it.
  const base = (i: 2 | 3, r: number) => {
    const lo = Math.min(...spanVals.map((v) => v[i]));
    const hi = Math.max(...spanVals.map((v) => v[i]));
    return lo >= 1 - 1e-9 ? r : Math.max(2, 2 * Math.round((r * Math.max(lo, hi / 2)) / 2));
  };
  const P: Size = { w: base(2, R.w), h: base(3, R.h) };
  const [kx, ky] = [R.w / P.w, R.h / P.h];
  const m = CANVAS_MARGIN;
  const maxW = Math.max(P.w, ...vals.map((v) => R.w * v[2]));
  const maxH = Math.max(P.h, ...vals.map((v) => R.h * v[3]));
  const size: Size = { w: 2 * Math.ceil((Math.ceil(maxW) + 2 * m + 2) / 2), h: 2 * Math.ceil((Math.ceil(maxH) + 2 * m + 2) / 2) };
  // The whole part, on the even grid overlay rounds to; the fraction (0 ≤ f < 2) goes to the map.
  const wholePart = (e: string) => `2*floor((${e})/2+${EPS})`;
  const frac = (e: string) => `(${e}-${wholePart(e)})`;
  const T = `(${num(skip)}+(in-1)/${num(F)})`;
  const factor = (s: Signal, k: number) => (moving
    ? `(max(${MIN_SCALE},${s.expr(T)})${k === 1 ? '' : `*${num(k)}`})`
    : num(Math.max(MIN_SCALE, s.at(skip)) * k));
  const sx = factor(sw, kx);
  const sy = factor(sh, ky);
  const restFrac = (v: number) => num(v - 2 * Math.floor(v / 2 + 1e-7));
  const fx = moving ? frac(x.expr(T)) : restFrac(x.at(skip));
  const fy = moving ? frac(y.expr(T)) : restFrac(y.at(skip));
  // A moving picture far larger than the frame: per axis, the map's canvas is the frame's part of
  // it (frame-cut.ts) where that is smaller than the picture's canvas.
  const cutX = moving && o.frame ? frameCut({ W: o.frame.width, p: P.w, old: size.w, pos: vals.map((v) => v[0]), scale: vals.map((v) => Math.max(MIN_SCALE, v[2]) * kx) }) : undefined;
  const cutY = moving && o.frame ? frameCut({ W: o.frame.height, p: P.h, old: size.h, pos: vals.map((v) => v[1]), scale: vals.map((v) => Math.max(MIN_SCALE, v[3]) * ky) }) : undefined;
  const preScale = P.w !== R.w || P.h !== R.h ? [`scale=${P.w}:${P.h}:flags=bicubic`] : [];
  const filters = (alpha: string) => (cutX || cutY ? (() => {
    const canvas: Size = { w: cutX?.D ?? size.w, h: cutY?.D ?? size.h };
    const padded: Size = { w: cutX?.Q ?? size.w, h: cutY?.Q ?? size.h };
    const Tn = `(${num(skip)}+n/${num(F)})`;
    const start = (c: FrameCut | undefined, e: (tv: string) => string, s: (tv: string) => string, tv: string) => (c ? c.start(e(tv), s(tv)) : '0');
    const scaleExpr = (sig: Signal, k: number) => (tv: string) => `(max(${MIN_SCALE},${sig.expr(tv)})${k === 1 ? '' : `*${num(k)}`})`;
    const [scx, scy] = [scaleExpr(sw, kx), scaleExpr(sh, ky)];
    const crop = canvas.w < padded.w || canvas.h < padded.h
      ? [`crop=w=${canvas.w}:h=${canvas.h}:x=${q(start(cutX, x.expr, scx, Tn))}:y=${q(start(cutY, y.expr, scy, Tn))}:exact=1`]
      : [];
    // Canvas pixel j shows frame pixel j (a cut axis, overlaid at 0) or j + whole(x) − m; source
    // pixel u of the crop is pixel u + start − m of P.
    const ox = cutX ? `(${x.expr(T)})+${sx}*(${start(cutX, x.expr, scx, T)}-${m})` : `${m}+${fx}-${m}*${sx}`;
    const oy = cutY ? `(${y.expr(T)})+${sy}*(${start(cutY, y.expr, scy, T)}-${m})` : `${m}+${fy}-${m}*${sy}`;
    return [...preScale, `format=${alpha}`, `pad=${padded.w}:${padded.h}:${m}:${m}:color=black@0`, ...crop, affineMap(canvas, { sx, sy, ox, oy }, 'frame')];
  })() : [
    ...preScale,
    `format=${alpha}`,
    `pad=${size.w}:${size.h}:${m}:${m}:color=black@0`,
    affineMap(size, { sx, sy, ox: `${m}+${fx}-${m}*${sx}`, oy: `${m}+${fy}-${m}*${sy}` }, moving ? 'frame' : 'init'),
  ]);
  return {
    apply: (graph, head, chain) => { chain.push(...filters(graph.pixels.alpha)); return head; },
    x: cutX ? '0' : moving ? `${wholePart(x.expr(o.Tovl))}-${m}` : num(2 * Math.floor(x.at(skip) / 2 + 1e-7) - m),
    y: cutY ? '0' : moving ? `${wholePart(y.expr(o.Tovl))}-${m}` : num(2 * Math.floor(y.at(skip) / 2 + 1e-7) - m),
    size: { w: cutX?.D ?? size.w, h: cutY?.D ?? size.h },
    still: !moving,
  };
};

/**
 * A move at scale 1 (keyframed x/y, slides): the fraction of the place is linear interpolation
 * between two whole-pixel crops of the padded picture, one pixel apart, weighted by the fraction
 * (a `blend`, set per frame by a command file), per axis that has a fraction: what
 * ken-burns.ts does for pans, for 1/2 to 1/5 of the map's cost. The picture sits MARGIN px into
 * a canvas cropped from one padded by MARGIN + 2, at 2 − k (k the whole part of the fraction,
 * 0 or 1) and 1 − k (the crop one pixel further on). Luma and alpha move exactly; the chroma
 * planes, half the resolution, move by their own whole pixels within that.
 */
const shiftLayer = (
  o: { R: Size; x: Signal; y: Signal; skip: number; N: number; F: number; Tovl: string; uid: string }, vals: number[][],
): SubpixelLayer => {
  const { R, F } = o;
  const m = CANVAS_MARGIN;
  const padded: Size = { w: 2 * Math.ceil((R.w + 2 * m + 4) / 2), h: 2 * Math.ceil((R.h + 2 * m + 4) / 2) };
  const size: Size = { w: padded.w - 2, h: padded.h - 2 };
  // Per frame and axis: the whole part k of the fraction (0 ≤ fraction < 2) and the rest, in thousandths.
  const split = (v: number) => {
    const f = v - 2 * Math.floor(v / 2 + 1e-7);
    let k = Math.floor(f + 1e-6);
    let r = Math.max(0, Math.round((f - k) * 1000) / 1000);
    if (r >= 1) { k += 1; r = 0; }
    return { k: Math.min(k, 2), r };
  };
  const still = vals.every((v) => v[0] === vals[0][0] && v[1] === vals[0][1]);
  const axes = ([['x', 0], ['y', 1]] as const).map(([axis, i]) => ({ axis, parts: vals.map((v) => split(v[i])) }));
  return {
    apply: (graph, head, chain) => {
      const name = (axis: string, what: 'below' | 'above' | 'blend') => `${what === 'blend' ? 'blend' : 'crop'}@s${axis}${what === 'below' ? 'l' : what === 'above' ? 'h' : 'w'}${o.uid}`;
      const moves = axes.map(({ axis, parts }) => ({ axis, parts, blended: !parts.every((p) => p.k === parts[0].k && p.r === 0) }));
      // Per frame, from the second: the crops' offsets when k changes, the blend's weight when the rest does.
      const commands = moves.filter((a) => a.blended).flatMap(({ axis, parts }) => parts.flatMap((p, n) => {
        const prev = parts[n - 1];
        if (n === 0) return [];
        const at = num(Math.max(0, n / F - 0.5 / F));
        return [
          ...(p.k !== prev.k ? [`${at} ${name(axis, 'below')} ${axis} ${2 - p.k};`, `${at} ${name(axis, 'above')} ${axis} ${Math.max(0, 1 - p.k)};`] : []),
          ...(p.r !== prev.r ? [`${at} ${name(axis, 'blend')} all_opacity ${num(p.r)};`] : []),
        ];
      })).sort((p, q2) => parseFloat(p) - parseFloat(q2));
      if (commands.length) chain.push(`sendcmd=f=${graph.sideFile(`shift-${o.uid}.txt`, commands.join('\n') + '\n')}`);
      chain.push(`format=${graph.pixels.alpha}`, `pad=${padded.w}:${padded.h}:${m + 2}:${m + 2}:color=black@0`);
      let current = head;
      let w = padded.w;
      let h = padded.h;
      for (const { axis, parts, blended } of moves) {
        const crop = (at: number, filter = 'crop') => (axis === 'x'
          ? `${filter}=w=${size.w}:h=${h}:x=${at}:y=0:exact=1`
          : `${filter}=w=${w}:h=${size.h}:x=0:y=${at}:exact=1`);
        if (!blended) {
          chain.push(crop(2 - parts[0].k));
        } else {
          const [a, b] = [graph.label('sa'), graph.label('sb')];
          graph.chain([current], [...chain, 'split'], [a, b]);
          chain.length = 0;
          const lo = graph.chain([a], [crop(2 - parts[0].k, name(axis, 'below'))], graph.label('sl'));
          const hi = graph.chain([b], [crop(Math.max(0, 1 - parts[0].k), name(axis, 'above'))], graph.label('sh'));
          current = graph.chain([hi, lo], [`${name(axis, 'blend')}=all_mode=normal:all_opacity=${num(parts[0].r)}`], graph.label('ss'));
        }
        if (axis === 'x') w = size.w; else h = size.h;
      }
      return current;
    },
    // At rest, plain numbers: a blended layer at a fixed place blends only its own rectangle.
    x: still ? num(2 * Math.floor(vals[0][0] / 2 + 1e-7) - m) : `2*floor((${o.x.expr(o.Tovl)})/2+${EPS})-${m}`,
    y: still ? num(2 * Math.floor(vals[0][1] / 2 + 1e-7) - m) : `2*floor((${o.y.expr(o.Tovl)})/2+${EPS})-${m}`,
    size,
    still,
  };
};
