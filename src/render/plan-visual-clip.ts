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
import type { FilterKind } from '../composition/schema.ts';
import { ffColour, labelSeed, q, type FilterGraph } from './filter-graph.ts';
import { anchorOf, even, rotatedBox, type Size } from './layout-box.ts';
import { constantCurve, keyframeCurve, type Curve } from './keyframe-curve.ts';
import { rotateFilters } from './rotate-filter.ts';
import { slideReach } from './transitions/slide-reach.ts';
import { num } from './easing.ts';
import { constant, product, type Signal } from './signal.ts';
import {
  transitionBlock, transitionBlur, transitionOpacity, transitionSize, slidePlacement, withSpin, type ClipTransitions,
} from './transitions/transition-effects.ts';
import { activeMask, maskStream } from './transitions/reveal-mask.ts';
import { rateOf, shiftToFrame, timeBaseDen } from './frame-rate.ts';
import { planVideoSource } from './plan-video-source.ts';
import { toPipelineMatrix } from './source-colour.ts';
import type { Frame, TimelineClip } from './timeline.ts';
import { clipBox, MAX_SIDE } from './look/clip-box.ts';
import { lookMakesAlpha } from './look/clip-look.ts';
import { cropFilters, flipFilters } from './look/crop-flip.ts';
import { chromaKeyFilters, keyOnCopy, keyedStream } from './look/chroma-key.ts';
import { hasBoxLook, planBoxLook } from './look/box-look.ts';
import { shadowPlacement, splitShadow } from './look/shadow.ts';
import { fixedBox, type BlendedLayer } from './look/blend.ts';
import { maskMoves } from './look/masks.ts';
import { planSequenceSource } from './plan-raster-sequence.ts';
import { clipMoves, motionKeyEnds, placementSignals, REST_HAIR, subpixelLayer, WHOLE } from './subpixel-transform.ts';
import { visibleWindow, windowCrop } from './visible-window.ts';
import { sourceCut } from './source-window.ts';
import { sourceRunsOut } from './source-segments.ts';

const uid0 = (id: string, first: number) => `${id.replace(/\W/g, '')}f${first}`;

export interface VisualContext {
  readonly frame: Frame;
  readonly range: { readonly start: number; readonly end: number };
  readonly graph: FilterGraph;
  /** Draw every box whole (no visible-window cut, no frame cut of a moving picture: frame-cut.ts): the reference the cuts are checked against. */
  readonly wholeBoxes?: boolean;
}

/** A planned layer: the label of its stream and the overlay options that place it. */
export interface VisualLayer {
  readonly label: string;
  readonly x: string;
  readonly y: string;
  /** (1.1) Layers drawn just before this one (its drop shadow). */
  readonly under?: readonly Pick<VisualLayer, 'label' | 'x' | 'y'>[];
  /** (1.1) A non-normal blend mode, with the output frames the layer covers. */
  readonly blend?: Pick<BlendedLayer, 'mode' | 'first' | 'count' | 'box' | 'still'>;
  /**
   * The layer hides everything beneath it on each of its frames, [first, first + count) of the
   * output: an opaque still or colour, frame-sized, at (0, 0), unmoved, with no look. Its frames are
   * then the picture there, with no overlay (plan-render.ts, covering tiles).
   */
  readonly covers?: boolean;
  /** The output frames it is drawn on: [first, first + count). */
  readonly frames: { readonly first: number; readonly count: number };
}

import { kenBurns, overscanOf, zoomAt } from './ken-burns.ts';
import { zoomRatio, type ZoomByRatio } from './zoom-ratio.ts';

const FILTERS: Record<FilterKind, (b: Size) => string> = {
  grayscale: () => 'hue=s=0',
  sepia: () => 'colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131',
  blur: (b) => `gblur=sigma=${num(Math.max(2, Math.min(b.w, b.h) / 60))}`,
  brighten: () => 'eq=brightness=0.12',
  darken: () => 'eq=brightness=-0.12',
  contrast: () => 'eq=contrast=1.35',
  invert: () => 'negate',
};

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
  // `out` is cut a hair after it begins: a frame right where it begins is still whole (progress 0)
  // and is drawn with the rest, sharp, not as the first frame of a zoom drawn from a smaller copy.
  const outCut = clip.transitionOut ? Math.min(clip.length, clip.length - clip.transitionOut.duration + REST_HAIR) : clip.length;
  // A video whose source runs out (`extend: "none"`) shows nothing after: the clip ends there. Its
  // frames stop early, and a two-input filter after them (the alphamerge of rounded corners or a
  // mask, a blend's lut2, a wipe) repeated the last one to the end of the window: it froze.
  const runsOut = sourceRunsOut(clip);
  const end = runsOut ?? clip.length;
  const cuts = [0, clip.transitionIn?.duration ?? 0, outCut, clip.length, ...motionKeyEnds(clip), ...(runsOut !== undefined ? [runsOut] : [])]
    .filter((t, i, a) => t >= 0 && t <= end && a.indexOf(t) === i)
    .sort((a, b) => a - b);
  return cuts.slice(1).map((to, i) => ({ from: cuts[i], to })).filter((w) => w.to - w.from > 1e-9);
};

export const planVisualClip = (clip: TimelineClip, ctx: VisualContext, window?: ClipWindow): VisualLayer | undefined => {
  const { frame, range, graph } = ctx;
  const F = frame.fps;
  const { first, count: N, skip } = clipFrames(clip, frame, range, window);
  if (N <= 0) return undefined;
  const len = clip.length;
  const tbDen = timeBaseDen(F);
  /** Clip-local time inside the clip's own chain, whose stream time starts at `skip`. */
  const Tc = skip ? `(t+${num(skip)})` : 't';

  // ---- sizes
  const { scaleCurve, baseFactor, B } = clipBox(clip, frame, graph.pixels.evenGrid);
  const look = clip.look;
  const overscan = clip.effect ? overscanOf(clip.effect) : 1;
  const E: Size = overscan === 1 ? B : { w: Math.min(MAX_SIDE, even(B.w * overscan)), h: Math.min(MAX_SIDE, even(B.h * overscan)) };
  // The part of the box the frame can ever show, where nothing brings the rest into view: the
  // content is cut to it right after sizing (visible-window.ts).
  const vis = ctx.wholeBoxes ? undefined : visibleWindow(clip, frame, B, E, clip.effect);
  const cut = vis ? [windowCrop(vis)] : [];
  // A playing video is sized on every frame: cut its source to the window first (source-window.ts),
  // where the source's pixels are the box's (no crop or flip, square pixels).
  const v = clip.media?.video;
  const srcCut = vis && clip.asset.type === 'video' && v && !v.anamorphic && !look?.crop && !look?.flip
    ? sourceCut({ w: v.width, h: v.height }, E, vis.content) : undefined;

  // ---- time-varying values
  const tin = clip.transitionIn;
  const tout = clip.transitionOut;
  const outStart = len - (tout?.duration ?? 0);
  const tr: ClipTransitions = { tin, tout, outStart };
  const opacity: Signal = clip.keyframes.opacity ? keyframeCurve(clip.keyframes.opacity) : constant(clip.opacity);
  const alpha = product(opacity, transitionOpacity(tr));
  const size = transitionSize(tr);
  const scaleRel: Signal = scaleCurve.animated ? { ...scaleCurve, at: (t: number) => scaleCurve.at(t) / baseFactor, expr: (tv: string) => `${scaleCurve.expr(tv)}/${num(baseFactor)}` } : constant(1);
  const dynW = product(scaleRel, size.w);
  const dynH = product(scaleRel, size.h);
  const dyn = { animated: dynW.animated || dynH.animated };
  const rotCurve: Signal = withSpin(clip.keyframes.rotate ? keyframeCurve(clip.keyframes.rotate) : constantCurve(clip.rotate), tr);
  const wipe = activeMask(window ?? { from: 0, to: len }, tr);
  const blurAt = blurOf(clip, tr, B);
  const blockAt = transitionBlock(tr, B);
  /** Alpha the source itself has (the look adds its own later). */
  const ownAlpha = !!clip.media?.video?.hasAlpha || !!clip.raster || !!clip.sequence || (clip.asset.type === 'color' && /^#[0-9a-f]{8}$/i.test(clip.asset.color));
  const hasAlphaSource = !!clip.media?.video?.hasAlpha || !!clip.raster || (clip.asset.type === 'color' && /^#[0-9a-f]{8}$/i.test(clip.asset.color)) || lookMakesAlpha(look);
  // A picture sized below one pixel is not drawn at all: the scaler stops at 2×2, so `zoom` in
  // would otherwise show a dot on its first frame instead of growing from nothing.
  const vanishes = (t: number) => dyn.animated && Math.min(dynW.at(t) * B.w, dynH.at(t) * B.h, dynW.at(t) * Math.min(B.w, B.h), dynH.at(t) * Math.min(B.w, B.h)) < 1;
  const alphaValues = Array.from({ length: N }, (_, n) => {
    const t = skip + n / F;
    return vanishes(t) ? 0 : Math.round(Math.min(1, Math.max(0, alpha.at(t))) * 1000) / 1000;
  });
  const alphaMoves = alphaValues.some((a) => a !== alphaValues[0]);
  const needsAlpha = hasAlphaSource || !!wipe || alphaValues.some((a) => a < 1) || rotCurve.animated || rotCurve.at(0) % 360 !== 0 || !!blurAt;
  const pix = needsAlpha ? graph.pixels.alpha : graph.pixels.opaque;
  const retime = [`settb=1/${tbDen}`, 'setpts=N*1000'];

  // ---- source → E-sized frames on the clip's own frame grid (cropped, mirrored and keyed: look/)
  // A source with alpha of its own is keyed later, on a copy (chromakey would overwrite its alpha).
  // So is every clip drawn in RGB (a still or GIF: chroma-key.ts, keyOnCopy), whose colours must stay exact.
  const keyInBox = !!look?.chromaKey && (!!clip.media?.video?.hasAlpha || !!clip.raster || keyOnCopy(graph.pixels));
  // A video is keyed on every frame: on a small copy for the matte (chroma-key.ts, keyedStream),
  // after its source chain. A still is keyed once, before it is repeated.
  const keyVideo = !!look?.chromaKey && !keyInBox && clip.asset.type === 'video' && !!clip.media;
  const sourceLook = [...flipFilters(look?.flip), ...(look?.chromaKey && !keyInBox && !keyVideo ? chromaKeyFilters(look.chromaKey) : [])];
  const chain: string[] = [];
  let head: string;
  /** A still's `loop` (and retime), when it comes after the colour filter and the box look. */
  let stillRepeat: string[] | undefined;
  /** A blended still's one frame before it is repeated, and how it is repeated (look/blend.ts, BlendedLayer.still). */
  let stillOnce: { label: string; repeat: string[] } | undefined;
  /** A still's zoom drawn without the sub-pixel map (zoom-ratio.ts), where it is exact enough. */
  let zoomWin: ZoomByRatio | undefined;
  /** The alpha plane, added after a zoom drawn without it (lateAlpha below). */
  let addAlphaAfterZoom: string | undefined;
  /** The colour filter, drawn on a still's one frame before it is repeated. */
  let filteredOnce = false;
  const kbUid = `${clip.id.replace(/\W/g, '')}f${first + Math.round(range.start * F)}`;
  if (clip.asset.type === 'video' && clip.media) {
    // A keyed video drawn larger than its source: its matte is made at the source's size and sized
    // up after (chroma-key.ts, keyedStream): fewer pixels to key, and no finer colour lost.
    const keyAtSource = keyVideo && !!v && !v.anamorphic && !look?.crop && cut.length === 0 && !srcCut
      && v.width <= E.w && v.height <= E.h && (v.width < E.w || v.height < E.h);
    const K: Size = keyAtSource && v ? { w: v.width, h: v.height } : E;
    // Trim, speed, extend and reverse: plan-video-source.ts; the clip's crop before sizing, flip and key after.
    const source = planVideoSource(clip, graph, {
      skip, count: N, fps: F, globalFirst: Math.round(range.start * F) + first, size: K, pix: keyAtSource ? graph.pixels.opaque : pix, retime,
      pre: cropFilters(look?.crop), post: sourceLook, cut, sourceCut: srcCut,
    });
    if (!source) return undefined;
    head = source.head;
    chain.push(...source.filters);
    if (keyVideo && look?.chromaKey) {
      head = keyedStream(graph, graph.chain([head], chain, graph.label('src')), look.chromaKey, K, false, keyAtSource ? E : undefined);
      chain.length = 0;
    }
  } else if (clip.sequence) {
    // Animated text and word captions: each image once per run of frames, repeated by `fps`.
    // Named by the frame's index on the whole timeline: the parts of a chunked render share a work directory.
    head = planSequenceSource(clip.sequence, graph, { name: uid0(clip.id, Math.round(range.start * F) + first), skip, count: N, fps: F });
    chain.push(`scale=${E.w}:${E.h}:flags=lanczos`, 'setsar=1', `format=${pix}`, `fps=${rateOf(F)}`, `trim=end_frame=${N}`, ...retime);
  } else if (clip.media?.video || clip.raster) {
    const i = graph.input(clip.media?.path ?? clip.raster!.path);
    head = `${i}:v`;
    // A zoom drawn by swscale at a chosen ratio over copies made once, where that is exact enough
    // (zoom-ratio.ts). Not where the box is cut to a visible window (nor in the whole-box reference
    // of such a box): the window must draw the very frames of the whole box, which the map does.
    const zoomed = clip.effect === 'zoomIn' || clip.effect === 'zoomOut';
    // Where the only alpha is the opacity's (a fade), the zoom is drawn without it and the alpha
    // plane added after: a quarter fewer planes to zoom, and the same stack of copies as the clip's
    // other windows, which is then made once (FilterGraph.sharedChain). The colours are the same
    // either way: each plane is scaled and filtered on its own.
    const lateAlpha = zoomed && pix !== graph.pixels.opaque && !look && !hasAlphaSource && !wipe && !rotCurve.animated
      && rotCurve.at(0) % 360 === 0 && !blurAt && !blockAt;
    const zpix = lateAlpha ? graph.pixels.opaque : pix;
    zoomWin = zoomed && !maskMoves(look) && E.w === B.w && E.h === B.h && !(vis ?? visibleWindow(clip, frame, B, E, clip.effect))
      ? zoomRatio({ B, zoomAt: zoomAt(clip.effect as 'zoomIn' | 'zoomOut', len), centre: { x: B.w / 2, y: B.h / 2 }, skip, N, F, pix: zpix, uid: kbUid })
      : undefined;
    // Decode and resize the still once; `loop` then repeats that one frame for free. Without Ken
    // Burns or a moving mask the look inside the box is done once too; a colour filter other than blur always is.
    const stillPix = zoomWin ? zpix : pix;
    chain.push('trim=end_frame=1', ...cropFilters(look?.crop), `scale=${E.w}:${E.h}:flags=lanczos`,
      ...(clip.media ? toPipelineMatrix(clip.media) : []), 'setsar=1', `format=${stillPix}`, ...sourceLook, ...cut);
    // A colour filter on a still that moves (Ken Burns, a moving mask) is drawn on its one frame,
    // before the repeat: a point operation gives the same colours before or after the resampling
    // of a zoom or pan (docs/benchmarks.md, "A still's colour filter once"). Blur is not one.
    if (clip.filter && clip.filter !== 'blur' && (clip.effect || maskMoves(look))) {
      chain.push(FILTERS[clip.filter](B), `format=${stillPix}`);
      filteredOnce = true;
    }
    if (zoomWin) {
      chain.push(...zoomWin.once(labelSeed(`${head}|${chain.join(',')}`)));
      // The stacked copies are a frame of several megabytes: one for all of the clip's windows.
      head = graph.sharedChain([head], chain);
      chain.length = 0;
      if (zpix !== pix) addAlphaAfterZoom = `format=${pix}`;
    }
    const repeat = [`loop=loop=${N - 1}:size=1:start=0`, ...retime];
    if (!clip.effect && !maskMoves(look)) stillRepeat = repeat;
    else chain.push(...repeat);
  } else {
    const colour = clip.asset.type === 'color' ? clip.asset.color : '#000000';
    head = graph.chain([], [`color=c=${ffColour(colour)}:s=${E.w}x${E.h}:r=${rateOf(F)}`, `trim=end_frame=${N}`, `format=${pix}`, ...retime], graph.label('src'));
  }

  // ---- Ken Burns within the box
  if (clip.effect) head = kenBurns(graph, clip.effect, { B: vis?.B ?? B, E: vis?.E ?? E, centre: vis?.centre, skip, F, tbDen, len, N, uid: kbUid, window: zoomWin }, head, chain);
  if (addAlphaAfterZoom) chain.push(addAlphaAfterZoom);
  if (clip.filter && !filteredOnce) chain.push(FILTERS[clip.filter](B));

  // ---- the look inside the box: mask, border, rounded corners (look/box-look.ts)
  // Its head carries alpha of its own only from the source or the key (the rest is added here).
  if (hasBoxLook(look, keyInBox)) {
    head = planBoxLook(graph, graph.chain([head], chain, graph.label('pre')), look, B, { N: stillRepeat ? 1 : N, F, tbDen, skip }, ownAlpha || (!!look.chromaKey && !keyInBox), keyInBox);
    chain.length = 0;
  }
  // A fixed rotation and a constant opacity are applied to the still's one frame too.
  // A blended still whose colours nothing changes after it is repeated (only its alpha: fades,
  // wipes) hands its one frame to the blend, which converts its colours once, not on every frame.
  const blendsStill = !!look && look.blend !== 'normal' && pix === graph.pixels.alpha && !rotCurve.animated && !blockAt && !blurAt
    && !dyn.animated && !look.shadow && !clipMoves(clip, dyn.animated, tr);
  const repeatNow = () => {
    if (stillRepeat && blendsStill) {
      const [repeated, kept] = [graph.label('rep'), graph.label('once')];
      graph.chain([head], [...chain, `format=${graph.pixels.alpha}`, 'split'], [repeated, kept]);
      chain.length = 0;
      head = repeated;
      // The per-frame opacity's lutyuv also clips Y, U and V to their video range (its default for
      // the planes it is not told about): the colours handed on get the same clip.
      const label = alphaMoves ? graph.chain([kept], [graph.pixels.lut], graph.label('once')) : kept;
      stillOnce = { label, repeat: [...stillRepeat, ...shiftToFrame(first, F)] };
    }
    if (stillRepeat) chain.push(...stillRepeat);
    stillRepeat = undefined;
  };
  if (rotCurve.animated) repeatNow();

  // ---- rotation
  let R: Size = B;
  if (rotCurve.animated) {
    const d = even(Math.hypot(B.w, B.h));
    R = { w: d, h: d };
    chain.push(rotateFilters(graph, q(`(${rotCurve.expr(Tc)})*PI/180`), d, d));
  } else if (rotCurve.at(0) % 360 !== 0) {
    const box = rotatedBox(B, rotCurve.at(0));
    R = { w: even(box.w), h: even(box.h) };
    chain.push(rotateFilters(graph, (rotCurve.at(0) * Math.PI) / 180, R.w, R.h));
  }

  // ---- per-frame commands: animated opacity (lutyuv takes no expression of time), blur sigma
  // and pixelation block (1.1)
  const commands: string[] = [];
  // Named by the absolute output frame: chunk parts share one work directory, and the same clip
  // starting at frame 0 of two parts would otherwise write one command file with two contents.
  const uid = `${clip.id.replace(/\W/g, '')}f${first + Math.round(range.start * F)}`;
  const lutName = `${graph.pixels.lut}@a${uid}`;
  const perFrame = (target: string, option: string, values: readonly string[], fromFirst = false) => {
    for (let n = fromFirst ? 0 : 1; n < N; n++) if (n === 0 || values[n] !== values[n - 1]) commands.push(`${num(Math.max(0, n / F - 0.5 / F))} ${target} ${option} ${values[n]};`);
  };
  const frameValues = (f: (t: number) => number, digits: number) => Array.from({ length: N }, (_, n) => num(Math.round(f(skip + n / F) * 10 ** digits) / 10 ** digits));
  const after: string[] = [];
  if (blockAt) {
    const blocks = frameValues(blockAt, 0);
    perFrame(`pixelize@p${uid}`, 'w', blocks);
    perFrame(`pixelize@p${uid}`, 'h', blocks);
    after.push(`pixelize@p${uid}=w=${blocks[0]}:h=${blocks[0]}`);
  }
  if (blurAt) {
    const sigmas = frameValues(blurAt, 2);
    // gblur copies sigma into sigmaV once, at start: a command must set both.
    perFrame(`gblur@b${uid}`, 'sigma', sigmas);
    perFrame(`gblur@b${uid}`, 'sigmaV', sigmas);
    if (sigmas.some((v) => v !== '0')) after.push(`gblur@b${uid}=sigma=${sigmas[0]}:sigmaV=${sigmas[0]}`);
  }
  if (alphaMoves) perFrame(lutName, 'a', alphaValues.map((a) => `val*${num(a)}`), true);
  if (commands.length) {
    repeatNow();
    commands.sort((a, b) => parseFloat(a) - parseFloat(b));
    chain.push(`sendcmd=f=${graph.sideFile(`cmd-${uid}.txt`, commands.join('\n') + '\n')}`);
  }
  chain.push(...after);
  if (alphaMoves) chain.push(`${lutName}=a=${q(`val*${num(alphaValues[0])}`)}`);
  else if (alphaValues[0] < 1) chain.push(`${graph.pixels.lut}=a=${q(`val*${num(alphaValues[0])}`)}`);
  // Placement: overlay expressions take `t` (output time); T is the clip-local time. The drawn
  // element (a raster's box), not its margin, is anchored: the picture is centred on it.
  const cs = clip.start - range.start;
  const T = cs === 0 ? 't' : `(t-${num(cs)})`;
  const box = clip.raster?.box;
  const anchor: Size = box ? { w: (B.w * box.width) / clip.raster!.width, h: (B.h * box.height) / clip.raster!.height } : B;
  // The placement's map (below). A still resting in this window (the part of a keyed clip after
  // its last key, say) goes through it once, before it is repeated: every frame would get the same
  // map (a 4 s picture at rest after a zoom from 10× resized its 8192 px box on all 90 frames).
  const sub = clipMoves(clip, dyn.animated, tr)
    ? subpixelLayer({ R, sw: dynW, sh: dynH, ...placementSignals(clip, frame, anchor, R, dynW, dynH, tr), skip, N, F, Tovl: T, uid, whole: clipFrames(clip, frame, WHOLE, window), ...(look?.shadow || ctx.wholeBoxes ? {} : { frame }) })
    : undefined;
  let subApplied = false;
  if (sub?.still && stillRepeat && !wipe && !stillOnce) {
    head = sub.apply(graph, head, chain);
    subApplied = true;
  }
  repeatNow();

  // ---- wipe: multiply the alpha by a moving hard-edged mask. The frame keeps its size: overlay
  // sizes its blending from the link, so a per-frame crop would not show (ffmpeg 5.1).
  let current = head;
  if (wipe) {
    current = graph.chain([head], chain, graph.label('pre'));
    chain.length = 0;
    const mask = maskStream(graph, wipe, R, { N, fps: F, tbDen, skip, Tc, uid }, seedOf(clip.id), vis?.view);
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
  // ---- placement
  // (1.1) Motion by fractions of a pixel: a moving or resizing layer is drawn on a fixed canvas by
  // a sub-pixel map (subpixel-transform.ts, `sub` above), last, since most filters size buffers
  // from the link; a resting still's map was applied before its repeat.
  if (sub) {
    if (!subApplied) current = sub.apply(graph, current, chain);
    R = sub.size;
  } else if (dyn.animated) {
    // A hair (1e-4 px) before trunc: an easing that ends a hair under 1 (Back: 2.70158 − 1.70158) drew the rest 2 px small.
    // Resized on most frames, so on one thread (zoom-ratio.ts: a threaded scaler starts its threads at each set-up).
    chain.push(`scale=w=${q(`max(2,2*trunc(iw*${dynW.expr(Tc)}/2+0.0001))`)}:h=${q(`max(2,2*trunc(ih*${dynH.expr(Tc)}/2+0.0001))`)}:eval=frame:threads=1`);
  }
  // ---- drop shadow (look/shadow.ts): a recoloured, blurred copy of the finished picture
  let shadowLabel: string | undefined;
  if (look?.shadow) {
    // The shadow is made of the picture's alpha alone: it is blurred once when that alpha is the
    // same on every frame (an opaque video with rounded corners, a still), whatever the colours do;
    // a layer moved or resized by the sub-pixel map changes its alpha on its canvas every frame.
    const alphaOfOwnMoves = !!clip.sequence || ((ownAlpha || !!look.chromaKey) && (clip.asset.type === 'video' || !!clip.effect));
    const still = !alphaOfOwnMoves && (!sub || subApplied) && !rotCurve.animated && !alphaMoves && !wipe && !maskMoves(look) && !blurAt && !blockAt;
    [current, shadowLabel] = splitShadow(graph, current, chain, look.shadow, { still, N, first, fps: F, retime });
  }
  chain.push(...shiftToFrame(first, F));
  const label = graph.chain([current], chain, graph.label('clip'));

  const placed = sub ? { x: sub.x, y: sub.y } : placement(clip, frame, anchor, R, dynW, dynH, T, tr);
  if (vis) Object.assign(placed, { x: `${placed.x}${vis.view.x ? `+${vis.view.x}` : ''}`, y: `${placed.y}${vis.view.y ? `+${vis.view.y}` : ''}` });
  // Frame-sized at (0, 0): the placement's arithmetic is x = o·W when the box is the frame, unscaled.
  const covers = !needsAlpha && pix === graph.pixels.opaque && !look && !vis && !sub && !dyn.animated && !wipe
    && ((clip.asset.type === 'image' && !!clip.media?.video?.still) || clip.asset.type === 'color')
    && B.w === frame.width && B.h === frame.height && R.w === B.w && R.h === B.h && anchor.w === B.w && anchor.h === B.h
    && dynW.at(0) === 1 && dynH.at(0) === 1 && clip.offset.x === 0 && clip.offset.y === 0
    && !clip.keyframes.x?.length && !clip.keyframes.y?.length;
  return {
    label, ...placed,
    frames: { first, count: N },
    ...(covers ? { covers: true } : {}),
    ...(shadowLabel && look?.shadow ? { under: [{ label: shadowLabel, ...shadowPlacement(placed.x, placed.y, look.shadow, R) }] } : {}),
    ...(look && look.blend !== 'normal' ? { blend: { mode: look.blend, first, count: N, box: dyn.animated ? undefined : fixedBox(placed, R, frame, graph.pixels.evenGrid), ...(stillOnce ? { still: stillOnce } : {}) } } : {}),
  };
};

/** Opacity or rotation already put alpha in the frame, which the mask must multiply, not replace. */
const needsAlphaBeforeWipe = (alphaValues: readonly number[], rot: Signal) =>
  alphaValues.some((a) => a < 1) || rot.animated || rot.at(0) % 360 !== 0;

/** A stable seed per clip (dissolve's blocks): the same on every render and in every chunk. */
const seedOf = (id: string): number => [...id].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619), 2166136261);

/** Blur sigma over clip-local time: the `blur` keyframes and a blur transition, combined as Gaussians combine. */
const blurOf = (clip: TimelineClip, tr: ClipTransitions, B: Size): ((t: number) => number) | undefined => {
  const keyed = clip.keyframes.blur ? keyframeCurve(clip.keyframes.blur) : undefined;
  const transition = transitionBlur(tr, B);
  if (!keyed && !transition) return undefined;
  if (keyed && !keyed.animated && keyed.at(0) === 0 && !transition) return undefined;
  return (t) => Math.hypot(Math.max(0, keyed?.at(t) ?? 0), transition?.(t) ?? 0);
};

const placement = (
  clip: TimelineClip, frame: Frame, B: Size, R: Size, dynW: Signal, dynH: Signal, T: string, tr: ClipTransitions,
): { x: string; y: string } => {
  const { ax, ay } = anchorOf(clip.position);
  const dw = dynW.animated ? dynW.expr(T) : num(dynW.at(0));
  const dh = dynH.animated ? dynH.expr(T) : num(dynH.at(0));
  const ox = clip.keyframes.x ? keyframeCurve(clip.keyframes.x).expr(T) : num(clip.offset.x);
  const oy = clip.keyframes.y ? keyframeCurve(clip.keyframes.y).expr(T) : num(clip.offset.y);
  const axis = (a: number, W: number, b: number, r: number, o: string, d: string) =>
    // Centre of the (unrotated) box at its anchor, then the drawn picture centred on it.
    `${num(a * W)}+${num(1 - 2 * a)}*${b}*${d}/2+${o}*${W}-${r}*${d}/2`;
  return slidePlacement(tr, frame, T, { x: axis(ax, frame.width, B.w, R.w, ox, dw), y: axis(ay, frame.height, B.h, R.h, oy, dh) }, slideReach(clip));
};
