/**
 * One visual clip as an ffmpeg filter chain, ready to be overlaid on the layers beneath it.
 *
 * The chain, in order: source → fitted content (with Ken Burns overscan) → effect → colour filter →
 * rotation → opacity → wipe mask → animated size (keyframed scale, zoom transition) → placed on the
 * output timeline. Per-frame values come from ffmpeg expressions of time where a filter takes them,
 * and otherwise from a sendcmd script with one value per frame. Everything is computed on the
 * output's frame grid, so a clip renders identically whether the render covers the whole timeline
 * or any range of it (what makes chunked rendering seamless).
 */
import type { EffectKind, FilterKind, TransitionKind } from '../composition/schema.ts';
import { ffColour, q, type FilterGraph } from './filter-graph.ts';
import { anchorOf, even, fitSize, rotatedBox, type Size } from './layout-box.ts';
import { constantCurve, keyframeCurve, type Curve } from './keyframe-curve.ts';
import { num } from './easing.ts';
import { constant, invert, product, ramp, type Signal } from './signal.ts';
import type { Frame, TimelineClip } from './timeline.ts';
import { planSequenceSource } from './plan-raster-sequence.ts';

const uid0 = (id: string, first: number) => `${id.replace(/\W/g, '')}f${first}`;

export interface VisualContext {
  readonly frame: Frame;
  readonly range: { readonly start: number; readonly end: number };
  readonly graph: FilterGraph;
}

/** A planned layer: the label of its stream and the overlay options that place it. */
export interface VisualLayer {
  readonly label: string;
  readonly x: string;
  readonly y: string;
}

/** Ken Burns: zoom 1 → 1.15, and the overscan pans travel across. */
export const EFFECT_ZOOM = 1.15;
const MAX_SIDE = 8192;

const FILTERS: Record<FilterKind, (b: Size) => string> = {
  grayscale: () => 'hue=s=0',
  sepia: () => 'colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131',
  blur: (b) => `gblur=sigma=${num(Math.max(2, Math.min(b.w, b.h) / 60))}`,
  brighten: () => 'eq=brightness=0.12',
  darken: () => 'eq=brightness=-0.12',
  contrast: () => 'eq=contrast=1.35',
  invert: () => 'negate',
};

const isWipe = (k?: TransitionKind) => !!k && k.startsWith('wipe');
const isSlide = (k?: TransitionKind) => !!k && k.startsWith('slide');

/** A part of a clip, in clip-local seconds: [from, to). */
export interface ClipWindow { readonly from: number; readonly to: number }

/** The frames of the output grid that show the clip (or a window of it): [first, first + count). */
export const clipFrames = (
  clip: { start: number; length: number }, frame: Frame, range: { start: number; end: number },
  window: ClipWindow = { from: 0, to: clip.length },
) => {
  const f = frame.fps;
  const vs = Math.max(clip.start + window.from, range.start);
  const ve = Math.min(clip.start + window.to, range.end);
  const first = Math.ceil((vs - range.start) * f - 1e-6);
  const end = Math.ceil((ve - range.start) * f - 1e-6);
  return { first, count: Math.max(0, end - first), skip: Math.max(0, range.start + first / f - clip.start) };
};

/**
 * Splits a clip where its transitions begin and end, so the parts with no transparency (usually
 * most of the clip) are drawn without alpha blending, which costs about as much as the rest of
 * the frame's work put together.
 */
export const clipWindows = (clip: TimelineClip): ClipWindow[] => {
  const cuts = [0, clip.transitionIn?.duration ?? 0, clip.length - (clip.transitionOut?.duration ?? 0), clip.length]
    .filter((t, i, a) => t >= 0 && t <= clip.length && a.indexOf(t) === i)
    .sort((a, b) => a - b);
  return cuts.slice(1).map((to, i) => ({ from: cuts[i], to })).filter((w) => w.to - w.from > 1e-9);
};

export const planVisualClip = (clip: TimelineClip, ctx: VisualContext, window?: ClipWindow): VisualLayer | undefined => {
  const { frame, range, graph } = ctx;
  const F = frame.fps;
  const { first, count: N, skip } = clipFrames(clip, frame, range, window);
  if (N <= 0) return undefined;
  const len = clip.length;
  const tbDen = Math.round(F * 1000);
  /** Clip-local time inside the clip's own chain, whose stream time starts at `skip`. */
  const Tc = skip ? `(t+${num(skip)})` : 't';

  // ---- sizes
  const src: Size = clip.media?.video ? { w: clip.media.video.width, h: clip.media.video.height }
    : clip.raster ? { w: clip.raster.width, h: clip.raster.height }
      : { w: frame.width, h: frame.height };
  const fitted = fitSize(clip.fit, src, { w: frame.width, h: frame.height });
  const scaleCurve: Curve = clip.keyframes.scale ? keyframeCurve(clip.keyframes.scale) : constantCurve(clip.scale);
  const baseFactor = Math.max(scaleCurve.max, 1e-3);
  const B: Size = { w: Math.min(MAX_SIDE, even(fitted.w * baseFactor)), h: Math.min(MAX_SIDE, even(fitted.h * baseFactor)) };
  const overscan = clip.effect ? EFFECT_ZOOM : 1;
  const E: Size = { w: Math.min(MAX_SIDE, even(B.w * overscan)), h: Math.min(MAX_SIDE, even(B.h * overscan)) };

  // ---- time-varying values
  const tin = clip.transitionIn;
  const tout = clip.transitionOut;
  const outStart = len - (tout?.duration ?? 0);
  const pin = tin ? ramp(0, tin.duration, 'linear') : constant(1);
  const pout = tout ? ramp(outStart, tout.duration, 'linear') : constant(0);
  const opacity: Signal = clip.keyframes.opacity ? keyframeCurve(clip.keyframes.opacity) : constant(clip.opacity);
  const alpha = product(
    opacity,
    tin?.kind === 'fade' ? pin : constant(1),
    tout?.kind === 'fade' ? invert(pout) : constant(1),
  );
  const zoomIn = tin?.kind === 'zoom' ? ramp(0, tin.duration, 'easeOut') : constant(1);
  const zoomOut = tout?.kind === 'zoom' ? invert(ramp(outStart, tout.duration, 'easeIn')) : constant(1);
  const dyn = product(scaleCurve.animated ? { ...scaleCurve, at: (t: number) => scaleCurve.at(t) / baseFactor, expr: (tv: string) => `${scaleCurve.expr(tv)}/${num(baseFactor)}` } : constant(1), zoomIn, zoomOut);
  const rotCurve: Curve = clip.keyframes.rotate ? keyframeCurve(clip.keyframes.rotate) : constantCurve(clip.rotate);
  const wipe = activeWipe(window ?? { from: 0, to: len }, tin, tout, outStart);
  const hasAlphaSource = !!clip.media?.video?.hasAlpha || !!clip.raster || (clip.asset.type === 'color' && /^#[0-9a-f]{8}$/i.test(clip.asset.color));
  // A picture sized below one pixel is not drawn at all: the scaler stops at 2×2, so `zoom` in
  // would otherwise show a dot on its first frame instead of growing from nothing.
  const vanishes = (t: number) => dyn.animated && dyn.at(t) * Math.min(B.w, B.h) < 1;
  const alphaValues = Array.from({ length: N }, (_, n) => {
    const t = skip + n / F;
    return vanishes(t) ? 0 : Math.round(Math.min(1, Math.max(0, alpha.at(t))) * 1000) / 1000;
  });
  const alphaMoves = alphaValues.some((a) => a !== alphaValues[0]);
  const needsAlpha = hasAlphaSource || !!wipe || alphaValues.some((a) => a < 1) || rotCurve.animated || rotCurve.at(0) % 360 !== 0;
  const pix = needsAlpha ? 'yuva420p' : 'yuv420p';
  const retime = [`settb=1/${tbDen}`, 'setpts=N*1000'];

  // ---- source → E-sized frames on the clip's own frame grid
  const chain: string[] = [];
  let head: string;
  if (clip.asset.type === 'video' && clip.media) {
    const speed = clip.asset.speed ?? 1;
    const from = (clip.asset.trim ?? 0) + skip * speed;
    const i = graph.input(clip.media.path, ['-ss', num(from), '-t', num((N + 2) / F * speed)]);
    head = `${i}:v`;
    chain.push(speed === 1 ? 'setpts=PTS-STARTPTS' : `setpts=(PTS-STARTPTS)/${num(speed)}`, `fps=${num(F)}`,
      `scale=${E.w}:${E.h}`, 'setsar=1', `format=${pix}`,
      `tpad=stop_mode=clone:stop_duration=${num(N / F)}`, `trim=end_frame=${N}`, ...retime);
  } else if (clip.sequence) {
    // Animated text and word captions: each image once per run of frames, repeated by `fps`.
    // Named by the frame's index on the whole timeline: the parts of a chunked render share a work directory.
    head = planSequenceSource(clip.sequence, graph, { name: uid0(clip.id, Math.round(range.start * F) + first), skip, count: N, fps: F });
    chain.push(`scale=${E.w}:${E.h}:flags=lanczos`, 'setsar=1', `format=${pix}`, `fps=${num(F)}`, `trim=end_frame=${N}`, ...retime);
  } else if (clip.media?.video || clip.raster) {
    const i = graph.input(clip.media?.path ?? clip.raster!.path);
    head = `${i}:v`;
    // Decode and resize the still once; `loop` then repeats that one frame for free.
    chain.push('trim=end_frame=1', `scale=${E.w}:${E.h}:flags=lanczos`, 'setsar=1', `format=${pix}`,
      `loop=loop=${N - 1}:size=1:start=0`, ...retime);
  } else {
    const colour = clip.asset.type === 'color' ? clip.asset.color : '#000000';
    head = graph.chain([], [`color=c=${ffColour(colour)}:s=${E.w}x${E.h}:r=${num(F)}`, `trim=end_frame=${N}`, `format=${pix}`, ...retime], graph.label('src'));
  }

  // ---- Ken Burns within the box
  if (clip.effect) chain.push(...kenBurns(clip.effect, B, E, skip, F, tbDen, len));
  if (clip.filter) chain.push(FILTERS[clip.filter](B));

  // ---- rotation
  let R: Size = B;
  if (rotCurve.animated) {
    const d = even(Math.hypot(B.w, B.h));
    R = { w: d, h: d };
    chain.push(`rotate=a=${q(`(${rotCurve.expr(Tc)})*PI/180`)}:ow=${d}:oh=${d}:c=black@0`);
  } else if (rotCurve.at(0) % 360 !== 0) {
    const box = rotatedBox(B, rotCurve.at(0));
    R = { w: even(box.w), h: even(box.h) };
    chain.push(`rotate=a=${num((rotCurve.at(0) * Math.PI) / 180)}:ow=${R.w}:oh=${R.h}:c=black@0`);
  }

  // ---- per-frame commands: animated opacity (lutyuv takes no expression of time)
  const commands: string[] = [];
  const uid = `${clip.id.replace(/\W/g, '')}f${first}`;
  const lutName = `lutyuv@a${uid}`;
  let lastAlpha = Number.NaN;
  for (let n = 0; n < N; n++) {
    const a = alphaValues[n];
    if (alphaMoves && a !== lastAlpha) commands.push(`${num(Math.max(0, n / F - 0.5 / F))} ${lutName} a val*${num(a)};`);
    lastAlpha = a;
  }
  if (commands.length) chain.push(`sendcmd=f=${graph.sideFile(`cmd-${uid}.txt`, commands.join('\n') + '\n')}`);
  if (alphaMoves) chain.push(`${lutName}=a=${q(`val*${num(alphaValues[0])}`)}`);
  else if (alphaValues[0] < 1) chain.push(`lutyuv=a=${q(`val*${num(alphaValues[0])}`)}`);

  // ---- wipe: multiply the alpha by a moving hard-edged mask. The frame keeps its size: overlay
  // sizes its blending from the link, so a per-frame crop would not show (ffmpeg 5.1).
  let current = head;
  if (wipe) {
    current = graph.chain([head], chain, graph.label('pre'));
    chain.length = 0;
    const mask = wipeMask(graph, wipe, R, N, F, tbDen, Tc);
    if (hasAlphaSource || needsAlphaBeforeWipe(alphaValues, rotCurve)) {
      const [keep, alphaOf] = [graph.label('rgb'), graph.label('a')];
      graph.chain([current], ['split'], [keep, alphaOf]);
      const alpha = graph.chain([alphaOf], ['alphaextract'], graph.label('ax'));
      const product = graph.chain([alpha, mask], ['blend=all_mode=multiply'], graph.label('am'));
      current = graph.chain([keep, product], ['alphamerge'], graph.label('wiped'));
    } else {
      current = graph.chain([current, mask], ['alphamerge'], graph.label('wiped'));
    }
  }
  // A per-frame size change comes last: most filters size their buffers from the link.
  if (dyn.animated) {
    chain.push(`scale=w=${q(`max(2,2*trunc(iw*${dyn.expr(Tc)}/2))`)}:h=${q(`max(2,2*trunc(ih*${dyn.expr(Tc)}/2))`)}:eval=frame`);
  }
  chain.push(`setpts=PTS+${first * 1000}`);
  const label = graph.chain([current], chain, graph.label('clip'));

  // ---- placement (overlay expressions: `t` is output time, T the clip-local time)
  const cs = clip.start - range.start;
  const T = cs === 0 ? 't' : `(t-${num(cs)})`;
  // Anchor the drawn element (a raster's box), not its margin: the picture is centred on it.
  const box = clip.raster?.box;
  const anchor: Size = box ? { w: (B.w * box.width) / clip.raster!.width, h: (B.h * box.height) / clip.raster!.height } : B;
  return { label, ...placement(clip, frame, anchor, R, dyn, T, tin, tout, outStart) };
};

const kenBurns = (effect: EffectKind, B: Size, E: Size, skip: number, F: number, tbDen: number, len: number): string[] => {
  const P = (t: string) => `clip(${t}/${num(len)},0,1)`;
  if (effect === 'zoomIn' || effect === 'zoomOut') {
    // zoompan crops the overscanned still and scales the crop to the box in one step per frame:
    // cheaper than a per-frame `scale` (which rebuilds its scaler whenever the size changes).
    // E is the box's content at EFFECT_ZOOM× resolution, so zoom z shows E's central 1/z.
    const T = `(${num(skip)}+in/${num(F)})`;
    const z = effect === 'zoomIn' ? `(1+${num(EFFECT_ZOOM - 1)}*${P(T)})` : `(${num(EFFECT_ZOOM)}-${num(EFFECT_ZOOM - 1)}*${P(T)})`;
    return [
      `zoompan=z=${q(z)}:x=${q('(iw-iw/zoom)/2')}:y=${q('(ih-ih/zoom)/2')}:d=1:s=${B.w}x${B.h}:fps=${num(F)}`,
      `settb=1/${tbDen}`, 'setpts=N*1000',
    ];
  }
  // Pans move a box-sized window across the overscanned content: a crop, no scaling at all.
  const T = skip ? `(t+${num(skip)})` : 't';
  const dx = E.w - B.w;
  const dy = E.h - B.h;
  switch (effect) {
    case 'panLeft': return [`crop=w=${B.w}:h=${B.h}:x=${q(`${dx}*${P(T)}`)}:y=${dy / 2}:exact=1`];
    case 'panRight': return [`crop=w=${B.w}:h=${B.h}:x=${q(`${dx}*(1-${P(T)})`)}:y=${dy / 2}:exact=1`];
    case 'panUp': return [`crop=w=${B.w}:h=${B.h}:x=${dx / 2}:y=${q(`${dy}*${P(T)}`)}:exact=1`];
    case 'panDown': return [`crop=w=${B.w}:h=${B.h}:x=${dx / 2}:y=${q(`${dy}*(1-${P(T)})`)}:exact=1`];
  }
};

/** The wipe that plays during a window of the clip: its kind and the visible fraction over time. */
interface ActiveWipe { readonly kind: TransitionKind; readonly visible: Signal; readonly revealing: boolean }

const activeWipe = (
  w: ClipWindow, tin: TimelineClip['transitionIn'], tout: TimelineClip['transitionOut'], outStart: number,
): ActiveWipe | undefined => {
  if (tin && isWipe(tin.kind) && w.to <= tin.duration + 1e-9) {
    return { kind: tin.kind, visible: ramp(0, tin.duration, 'linear'), revealing: true };
  }
  if (tout && isWipe(tout.kind) && w.from >= outStart - 1e-9) {
    return { kind: tout.kind, visible: invert(ramp(outStart, tout.duration, 'linear')), revealing: false };
  }
  return undefined;
};

/** Opacity or rotation already put alpha in the frame, which the mask must multiply, not replace. */
const needsAlphaBeforeWipe = (alphaValues: readonly number[], rot: Curve) =>
  alphaValues.some((a) => a < 1) || rot.animated || rot.at(0) % 360 !== 0;

/**
 * A gray mask the size of the picture, white where the clip shows: a fixed-size window sliding
 * over a strip that is half white, half black. `wipeRight` in shows the left part first; out, it
 * hides the left part first (the edge keeps travelling right). Likewise for the other directions.
 */
const wipeMask = (graph: FilterGraph, wipe: ActiveWipe, R: Size, N: number, F: number, tbDen: number, Tc: string): string => {
  const horizontal = wipe.kind === 'wipeLeft' || wipe.kind === 'wipeRight';
  const forward = wipe.kind === 'wipeRight' || wipe.kind === 'wipeDown';
  const keepStart = wipe.revealing ? forward : !forward;
  const v = `clip(${wipe.visible.expr(Tc)},0,1)`;
  const size = horizontal ? R.w : R.h;
  // [white | black] slid by size·(1−v) keeps the start; [black | white] slid by size·v keeps the end.
  const offset = keepStart ? `${size}*(1-${v})` : `${size}*${v}`;
  const half = (c: string) => graph.chain([], [`color=c=${c}:s=${R.w}x${R.h}:r=${num(F)}`, 'format=gray', 'trim=end_frame=1'], graph.label('half'));
  const [a, b] = keepStart ? [half('white'), half('black')] : [half('black'), half('white')];
  return graph.chain([a, b], [
    horizontal ? 'hstack=inputs=2' : 'vstack=inputs=2',
    `loop=loop=${N - 1}:size=1:start=0`, `settb=1/${tbDen}`, 'setpts=N*1000',
    `crop=w=${R.w}:h=${R.h}:x=${horizontal ? q(offset) : 0}:y=${horizontal ? 0 : q(offset)}:exact=1`,
  ], graph.label('mask'));
};

const placement = (
  clip: TimelineClip, frame: Frame, B: Size, R: Size, dyn: Signal, T: string,
  tin: TimelineClip['transitionIn'], tout: TimelineClip['transitionOut'], outStart: number,
): { x: string; y: string } => {
  const { ax, ay } = anchorOf(clip.position);
  const d = dyn.animated ? dyn.expr(T) : num(dyn.at(0));
  const ox = clip.keyframes.x ? keyframeCurve(clip.keyframes.x).expr(T) : num(clip.offset.x);
  const oy = clip.keyframes.y ? keyframeCurve(clip.keyframes.y).expr(T) : num(clip.offset.y);
  const axis = (a: number, W: number, b: number, r: number, o: string) =>
    // Centre of the (unrotated) box at its anchor, then the drawn picture centred on it.
    `${num(a * W)}+${num(1 - 2 * a)}*${b}*${d}/2+${o}*${W}-${r}*${d}/2`;
  let x = axis(ax, frame.width, B.w, R.w, ox);
  let y = axis(ay, frame.height, B.h, R.h, oy);
  if (tin && isSlide(tin.kind)) {
    const e = ramp(0, tin.duration, 'easeOut').expr(T);
    if (tin.kind === 'slideRight') x = `(${x})*${e}+(-overlay_w)*(1-${e})`;
    if (tin.kind === 'slideLeft') x = `(${x})*${e}+${frame.width}*(1-${e})`;
    if (tin.kind === 'slideDown') y = `(${y})*${e}+(-overlay_h)*(1-${e})`;
    if (tin.kind === 'slideUp') y = `(${y})*${e}+${frame.height}*(1-${e})`;
  }
  if (tout && isSlide(tout.kind)) {
    const e = ramp(outStart, tout.duration, 'easeIn').expr(T);
    if (tout.kind === 'slideRight') x = `(${x})*(1-${e})+${frame.width}*${e}`;
    if (tout.kind === 'slideLeft') x = `(${x})*(1-${e})+(-overlay_w)*${e}`;
    if (tout.kind === 'slideDown') y = `(${y})*(1-${e})+${frame.height}*${e}`;
    if (tout.kind === 'slideUp') y = `(${y})*(1-${e})+(-overlay_h)*${e}`;
  }
  return { x, y };
};
