/**
 * Shotstack's motion vocabulary → Montage's: transitions (with their Slow and Fast variants as
 * durations), effects, filters, and tweens (arrays of `{from, to, start, length, interpolation,
 * easing}`) as keyframes. Shotstack measures offsets upwards; Montage downwards.
 */
import { isObject, type EditPath, type JsonObject, type ProblemList } from './edit-problems.ts';

/**
 * Seconds of a Shotstack transition, as Shotstack times them (its Studio SDK, which previews Edits
 * as the renderer draws them): 1 s, `…Slow` 2 s, `…Fast` 0.5 s; the slides and carousels are quicker
 * (0.5 s, `…Fast` 0.25 s, `…Slow` 2 s); `zoom` always takes 0.4 s.
 */
export const transitionSeconds = (base: string, speed: 'normal' | 'Slow' | 'Fast'): number => {
  if (base === 'zoom') return 0.4;
  const sliding = base.startsWith('slide') || base.startsWith('carousel');
  if (speed === 'Slow') return 2;
  if (speed === 'Fast') return sliding ? 0.25 : 0.5;
  return sliding ? 0.5 : 1;
};

const speedOf = (name: string): { base: string; speed: 'normal' | 'Slow' | 'Fast' } => {
  const m = /^(.*?)(Slow|Fast)$/.exec(name);
  return m ? { base: m[1], speed: m[2] as 'Slow' | 'Fast' } : { base: name, speed: 'normal' };
};

/**
 * Shotstack transition base names → Montage kinds, per direction. `reveal` is a wipe that shows the
 * clip from left to right (in) and hides it from right to left (out). `carousel*` slides the clip
 * in from beyond a side like Montage's `slide*` (Montage does not also push the clip beneath).
 * Shotstack's `slide*` is not that: it fades the clip in while moving it slightly (2.5 % of the
 * frame) in the named direction, so it is a `fade` plus a nudge of the offset (SLIDE_NUDGES).
 * `shuffle*` has no Montage counterpart.
 */
const TRANSITIONS_IN: Record<string, string> = {
  fade: 'fade', reveal: 'wipeRight', wipeLeft: 'wipeLeft', wipeRight: 'wipeRight',
  slideLeft: 'fade', slideRight: 'fade', slideUp: 'fade', slideDown: 'fade',
  carouselLeft: 'slideLeft', carouselRight: 'slideRight', carouselUp: 'slideUp', carouselDown: 'slideDown',
  zoom: 'zoom',
};
const TRANSITIONS_OUT: Record<string, string> = { ...TRANSITIONS_IN, reveal: 'wipeLeft' };

/** How far Shotstack's slide transitions move the clip, as a fraction of the frame. */
export const SLIDE_NUDGE = 0.025;
/** The axis and sign (Montage's: +x right, +y down) each slide transition moves the clip along. */
const SLIDE_NUDGES: Record<string, { axis: 'x' | 'y'; sign: 1 | -1 }> = {
  slideLeft: { axis: 'x', sign: -1 }, slideRight: { axis: 'x', sign: 1 },
  slideUp: { axis: 'y', sign: -1 }, slideDown: { axis: 'y', sign: 1 },
};

/**
 * A slide transition's move: on `in` the clip comes from `-sign × SLIDE_NUDGE` off its place to its
 * place over `seconds`; on `out` it leaves its place for `+sign × SLIDE_NUDGE` over the last `seconds`.
 */
export interface SlideNudge { readonly side: 'in' | 'out'; readonly axis: 'x' | 'y'; readonly sign: 1 | -1; readonly seconds: number }

export interface MappedTransition {
  readonly transition?: JsonObject;
  readonly nudges: readonly SlideNudge[];
  /**
   * Shotstack's `zoom`, on each side it is asked for: the clip shrinks from ZOOM_TRANSITION_SCALE×
   * to its size while fading in (`in`, easeIn), or grows to it while fading out (`out`, easeOut),
   * over `seconds`. The clip mapper keys it (scale and opacity); where it cannot, it falls back to
   * Montage's `zoom` transition on that side.
   */
  readonly zooms: readonly { readonly side: 'in' | 'out'; readonly seconds: number }[];
}

/** The scale Shotstack's zoom transition starts from (in) or ends at (out): ten times the clip. */
export const ZOOM_TRANSITION_SCALE = 10;

export function mapTransition(t: unknown, path: EditPath, problems: ProblemList): MappedTransition {
  const nudges: SlideNudge[] = [];
  const zooms: { side: 'in' | 'out'; seconds: number }[] = [];
  if (t === undefined) return { nudges, zooms };
  if (!isObject(t)) { problems.add(path, 'must be {"in": name, "out": name}.'); return { nudges, zooms }; }
  const out: JsonObject = {};
  const durations = new Set<number>();
  for (const side of ['in', 'out'] as const) {
    const v = t[side];
    // "none" is in Shotstack's list of transitions: no transition on that side.
    if (v === undefined || v === 'none') continue;
    const { base, speed } = typeof v === 'string' ? speedOf(v) : { base: '', speed: 'normal' as const };
    const kind = (side === 'in' ? TRANSITIONS_IN : TRANSITIONS_OUT)[base];
    if (!kind) {
      problems.add([...path, side], base.startsWith('shuffle')
        ? `"${String(v)}" is not supported: Shotstack's shuffle turns the clip as it moves it to or from a corner, and Montage has no such transition (its "spin" turns about the centre while growing); use a slide (e.g. "slideLeft"), a carousel or a wipe.`
        : `"${String(v)}" is not a transition Montage knows: use fade, reveal, wipeLeft, wipeRight, slide…, carousel… or zoom, optionally with Slow or Fast.`);
      continue;
    }
    const seconds = transitionSeconds(base, speed);
    if (base === 'zoom') { zooms.push({ side, seconds }); continue; }
    out[side] = kind;
    durations.add(seconds);
    const nudge = SLIDE_NUDGES[base];
    if (nudge) nudges.push({ side, ...nudge, seconds });
  }
  for (const k of Object.keys(t)) if (k !== 'in' && k !== 'out') problems.add([...path, k], 'is not a transition field: use "in" and "out".');
  // Montage has one duration per clip; a Fast in with a Slow out takes the shorter of the two.
  if (durations.size) out.duration = Math.min(...durations);
  return { transition: Object.keys(out).length ? out : undefined, nudges, zooms };
}

const EFFECTS: Record<string, string> = {
  zoomIn: 'zoomIn', zoomOut: 'zoomOut', slideLeft: 'panLeft', slideRight: 'panRight', slideUp: 'panUp', slideDown: 'panDown',
};
/** How far Shotstack's zoom effects scale the clip over its length: 1 → 1.3, `…Slow` 1.1, `…Fast` 1.7. */
export const ZOOM_EFFECT_SCALE = { normal: 1.3, Slow: 1.1, Fast: 1.7 } as const;

/**
 * How far Shotstack's slide effects move the clip each side of its place, as a fraction of the
 * frame: 0.12 (`…Slow` 0.03, `…Fast` 0.2), across a picture enlarged to 1 + 2 × that on the slide's
 * axis so that no edge shows (Shotstack's Studio SDK, effect presets).
 */
export const SLIDE_EFFECT_TRAVEL = { normal: 0.12, Slow: 0.03, Fast: 0.2 } as const;

export interface MappedEffect {
  /** Montage's effect of the same motion (its one rate: 1 → 1.15 over the clip). */
  readonly effect?: string;
  /** A zoom effect as Shotstack sizes it: scale `from` → `to` (× the clip's scale) over the clip. */
  readonly zoom?: { readonly from: number; readonly to: number };
  /**
   * A slide effect as Shotstack moves it: the offset on `axis` goes from `-sign × travel` to
   * `+sign × travel` about the clip's place (Montage's axes: +x right, +y down) over the clip, the
   * clip scaled by `1 + 2 × travel`.
   */
  readonly slide?: { readonly axis: 'x' | 'y'; readonly sign: 1 | -1; readonly travel: number };
}

/**
 * Shotstack's effects. A zoom is Shotstack's own scale over the clip (ZOOM_EFFECT_SCALE, with its
 * Slow and Fast rates), a slide its own travel (SLIDE_EFFECT_TRAVEL), which the caller keys where it
 * knows the clip's length; elsewhere they are Montage's zoomIn/zoomOut and pans (one rate).
 */
export function mapEffect(e: unknown, path: EditPath, problems: ProblemList): MappedEffect {
  if (e === undefined) return {};
  const { base, speed } = typeof e === 'string' ? speedOf(e) : { base: '', speed: 'normal' as const };
  const effect = EFFECTS[base];
  if (!effect) {
    problems.add(path, `"${String(e)}" is not an effect Montage knows: use zoomIn, zoomOut, slideLeft, slideRight, slideUp or slideDown (optionally Slow or Fast).`);
    return {};
  }
  const peak = ZOOM_EFFECT_SCALE[speed];
  if (base === 'zoomIn') return { effect, zoom: { from: 1, to: peak } };
  if (base === 'zoomOut') return { effect, zoom: { from: peak, to: 1 } };
  return { effect, slide: { ...SLIDE_NUDGES[base], travel: SLIDE_EFFECT_TRAVEL[speed] } };
}

const FILTERS: Record<string, string> = {
  blur: 'blur', boost: 'contrast', contrast: 'contrast', darken: 'darken', greyscale: 'grayscale',
  lighten: 'brighten', negative: 'invert',
};

export function mapFilter(f: unknown, path: EditPath, problems: ProblemList): string | undefined {
  if (f === undefined) return undefined;
  const filter = typeof f === 'string' ? FILTERS[f] : undefined;
  if (!filter) {
    problems.add(path, f === 'muted'
      ? '"muted" is not supported: Shotstack\'s muted lowers saturation and contrast, and Montage has no saturation filter (its filters are grayscale, sepia, blur, brighten, darken, contrast and invert); use "greyscale" for no colour at all, or remove the filter.'
      : `"${String(f)}" is not a filter Montage knows: use blur, boost, contrast, darken, greyscale, lighten or negative.`);
  }
  return filter;
}

/** Montage's easing names (COMPOSITION.md, Easings); Shotstack's `ease` is the CSS ease-in-out. */
const EASING_NAMES = new Set([
  'linear', 'easeIn', 'easeOut', 'easeInOut', 'hold',
  ...['Sine', 'Quad', 'Cubic', 'Quart', 'Quint', 'Expo', 'Circ', 'Back', 'Elastic', 'Bounce']
    .flatMap((f) => [`easeIn${f}`, `easeOut${f}`, `easeInOut${f}`]),
]);

const tweenEasing = (t: JsonObject, path: EditPath, problems: ProblemList): string | undefined => {
  if (t.easing !== undefined) {
    if (t.easing === 'ease') return 'easeInOut';
    if (typeof t.easing === 'string' && EASING_NAMES.has(t.easing)) return t.easing;
    problems.add([...path, 'easing'], `"${String(t.easing)}" is not an easing Montage knows: use ease, easeIn, easeOut, easeInOut or a Penner name such as easeOutBack.`);
    return undefined;
  }
  switch (t.interpolation) {
    case undefined: case 'linear': return undefined;
    case 'bezier': return 'easeInOut';
    case 'constant': return 'hold';
    default:
      problems.add([...path, 'interpolation'], `"${String(t.interpolation)}" is not supported: use linear, bezier or constant.`);
      return undefined;
  }
};

export interface Keyframe { time: number; value: number; easing?: string }

const TWEEN_KEYS = ['from', 'to', 'start', 'length', 'interpolation', 'easing'];

/**
 * A property that is a number or an array of tweens. Returns the static value, or keyframes (each
 * tween's `from` at its start and `to` at its end; a tween that starts where the last ended joins
 * it, and a jump between them is two keys a millisecond apart).
 */
export function mapTweenable(
  v: unknown, path: EditPath, problems: ProblemList, convert: (n: number) => number = (n) => n,
): { value?: number; keys?: Keyframe[] } {
  if (v === undefined) return {};
  if (typeof v === 'number') return { value: convert(v) };
  if (!Array.isArray(v) || v.length === 0) { problems.add(path, 'must be a number or an array of tweens {from, to, start, length}.'); return {}; }
  const keys: Keyframe[] = [];
  const tweens = v.map((t, i) => ({ t, i })).filter(({ t, i }) => {
    const ok = isObject(t) && typeof t.from === 'number' && typeof t.to === 'number' && typeof t.start === 'number' && typeof t.length === 'number' && t.start >= 0 && t.length > 0;
    if (!ok) problems.add([...path, i], 'must be a tween {"from": number, "to": number, "start": seconds ≥ 0, "length": seconds > 0}.');
    else for (const k of Object.keys(t)) {
      if (!TWEEN_KEYS.includes(k)) problems.add([...path, i, k], `is not a tween field Montage knows: use ${TWEEN_KEYS.join(', ')}.`);
    }
    return ok;
  }) as { t: JsonObject & { from: number; to: number; start: number; length: number }; i: number }[];
  tweens.sort((a, b) => a.t.start - b.t.start);
  for (const { t, i } of tweens) {
    const easing = tweenEasing(t, [...path, i], problems);
    const last = keys.at(-1);
    const from = convert(t.from);
    if (last && t.start < last.time - 1e-9) {
      problems.add([...path, i, 'start'], `overlaps the tween before it (which ends at ${last.time} s): start it at ${last.time} or later.`);
      continue;
    }
    if (last && Math.abs(last.time - t.start) < 1e-9 && last.value === from) {
      if (easing) last.easing = easing; else delete last.easing;
    } else {
      const time = last && Math.abs(last.time - t.start) < 1e-9 ? t.start + 0.001 : t.start;
      keys.push(easing ? { time, value: from, easing } : { time, value: from });
    }
    keys.push({ time: t.start + t.length, value: convert(t.to) });
  }
  return keys.length ? { keys } : {};
}
