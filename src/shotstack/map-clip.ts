/**
 * One Shotstack clip → one Montage clip: its asset, timing (`auto`, `end` kept as they are),
 * placement (fit names differ, offsets point up), look (crop, chroma key, flip, rotate, opacity),
 * motion (transition, effect, filter, tweens as keyframes) and sound (volume, its effects).
 */
import { isObject, pathText, type EditPath, type JsonObject } from './edit-problems.ts';
import { mapEffect, mapFilter, mapTransition, mapTweenable, SLIDE_NUDGE, ZOOM_TRANSITION_SCALE, type Keyframe, type MappedTransition, type SlideNudge } from './map-motion.ts';
import { colour, mapCaption, mapPlainText, mapRichText, mapTitle, type TextContext } from './map-text.ts';
import { fitClipBox } from './clip-box-fit.ts';
import { smartClipLength } from './smart-clip-length.ts';
import { anchorAlignedText } from './text-box-alignment.ts';

/** Shotstack `fit` → Montage `fit`: Shotstack's `crop` is Montage's `cover`, and its `cover` stretches (`fill`). */
const FITS: Record<string, string> = { crop: 'cover', cover: 'fill', contain: 'contain', none: 'none' };
const POSITIONS = new Set(['top', 'topRight', 'right', 'bottomRight', 'bottom', 'bottomLeft', 'left', 'topLeft', 'center']);
/** Assets Montage cannot render, with what to do instead. */
const REFUSED: Record<string, string> = {
  html: 'HTML assets need a browser, which Montage does not run: use "rich-text" or "text" for text, "shape" for boxes.',
  html5: 'HTML5 assets need a browser, which Montage does not run: render the animation to a video and use a "video" asset.',
  'text-to-speech': 'text-to-speech needs an AI provider, and none is configured: generate the speech elsewhere and use an "audio" asset.',
  'text-to-image': 'text-to-image needs an AI provider, and none is configured: generate the image elsewhere and use an "image" asset.',
  'image-to-video': 'image-to-video needs an AI provider, and none is configured: use an "image" asset with an effect such as zoomIn.',
  'text-generator': 'text generation needs an AI provider, and none is configured: write the text into a "text" asset.',
};
/** An image, video or audio asset's fields that ask Shotstack to generate the media from a prompt. */
const GENERATION_FIELDS = new Set(['prompt', 'model', 'options', 'inputSrc', 'resolution', 'aspectRatio', 'duration', 'generateAudio']);
const CLIP_KEYS = ['asset', 'start', 'length', 'fit', 'scale', 'position', 'offset', 'transition', 'effect', 'filter', 'opacity', 'transform', 'width', 'height'];

export interface MappedClip {
  readonly clip?: JsonObject;
  /** A `luma` clip: the matte for the clip it shares a track and a time with. */
  readonly luma?: { readonly src: string; readonly start: unknown; readonly length: unknown };
  /** Whether the clip plays sound (for `output.mute`). */
  readonly audible: boolean;
  /**
   * A `text` asset's background as Shotstack draws it: a rectangle filling the asset's whole box
   * (its width × height, the frame without them), beneath the lines and moving with the clip.
   * Montage's text background hugs the lines, so the box is a shape clip of its own, on a track just
   * beneath the clip's.
   */
  readonly under?: JsonObject;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
/** Shotstack's `alias://NAME` references (smart clips, auto captions): not supported. */
const isAlias = (v: unknown) => typeof v === 'string' && v.startsWith('alias://');

/** Every key of `o` not in `keys` is a problem: nothing in an Edit is dropped without a word. */
export const onlyKeys = (o: JsonObject, keys: readonly string[], path: EditPath, ctx: Pick<TextContext, 'problems'>, what: string) => {
  for (const k of Object.keys(o)) if (!keys.includes(k)) ctx.problems.add([...path, k], `is not ${what} field Montage knows: use ${keys.join(', ')}.`);
};
/** Assets whose box the clip's `width` and `height` set (in Montage: the text box). */
const BOXED = new Set(['text', 'rich-text']);

export function mapClip(c: unknown, path: EditPath, ctx: TextContext, mute: boolean): MappedClip {
  const { problems } = ctx;
  if (!isObject(c)) { problems.add(path, 'must be a clip object with asset, start and length.'); return { audible: false }; }
  for (const k of Object.keys(c)) if (!CLIP_KEYS.includes(k)) problems.add([...path, k], `is not a clip field Montage knows${k === 'alias' ? ' (aliases are not supported: give start and length)' : ''}; remove it.`);
  const a = c.asset;
  if (!isObject(a) || typeof a.type !== 'string') { problems.add([...path, 'asset'], 'must be an asset object with a "type".'); return { audible: false }; }
  const apath = [...path, 'asset'];
  const clip: JsonObject = {};
  const keyframes: Record<string, Keyframe[]> = {};

  const start = c.start;
  if (typeof start === 'number' ? start < 0 : start !== 'auto') problems.add([...path, 'start'], `must be seconds ≥ 0 or "auto"${isAlias(start) ? ' (alias:// references to other clips are not supported)' : ''}.`);
  const length = c.length;
  if (typeof length === 'number' ? length <= 0 : length !== 'auto' && length !== 'end') problems.add([...path, 'length'], `must be seconds > 0, "auto" or "end"${isAlias(length) ? ' (alias:// references to other clips are not supported)' : ''}.`);
  if (isAlias(a.src)) problems.add([...path, 'asset', 'src'], `"${String(a.src)}" refers to another clip, which Montage does not support (it does not transcribe speech into captions either): give the URL of the file${a.type === 'caption' || a.type === 'rich-caption' ? ' (an SRT or VTT)' : ''}.`);

  if (a.type === 'luma') {
    for (const k of Object.keys(a)) if (!['type', 'src', 'trim'].includes(k)) problems.add([...apath, k], 'is not supported on a luma asset: remove it.');
    if (typeof a.src !== 'string') problems.add([...apath, 'src'], 'must be the URL of the matte (an image or video).');
    if (a.trim !== undefined && a.trim !== 0) problems.add([...apath, 'trim'], 'is not supported: a luma matte plays from its start, in step with the clip.');
    return { luma: { src: String(a.src), start, length }, audible: false };
  }
  if (REFUSED[a.type]) { problems.add([...apath, 'type'], `"${a.type}" is not supported: ${REFUSED[a.type]}`); return { audible: false }; }

  let asset: JsonObject | undefined;
  let audible = false;
  let boxFill: JsonObject | undefined;
  let position: unknown = c.position;
  let offset: unknown = c.offset;
  const clipBox = { width: c.width, height: c.height };
  const article = /^[aeiou]/.test(String(a.type)) ? 'an' : 'a';
  const known = (keys: string[]) => {
    for (const k of Object.keys(a)) {
      if (keys.includes(k)) continue;
      problems.add([...apath, k], GENERATION_FIELDS.has(k)
        ? `asks Shotstack to generate the ${String(a.type)} with an AI model, and Montage has no AI provider: generate it elsewhere and give its URL as "src" (remove "${k}").`
        : `is not supported on ${article} ${String(a.type)} asset: remove it.`);
    }
  };
  const src = () => { if (typeof a.src !== 'string' || !a.src) problems.add([...apath, 'src'], 'must be the URL of the file.'); return String(a.src ?? ''); };

  switch (a.type) {
    case 'video': {
      known(['type', 'src', 'trim', 'volume', 'volumeEffect', 'speed', 'crop', 'chromaKey', 'transcode']);
      asset = { type: 'video', src: src() };
      trimOf(a.trim, asset, [...apath, 'trim'], ctx);
      speedOf(a.speed, asset, [...apath, 'speed'], ctx);
      audible = volumeOf(a.volume, a.volumeEffect, asset, keyframes, apath, ctx, c.length);
      if (mute) asset.muted = true;
      lookOf(a, clip, apath, ctx);
      break;
    }
    case 'image': {
      known(['type', 'src', 'crop', 'chromaKey']);
      asset = { type: 'image', src: src() };
      lookOf(a, clip, apath, ctx);
      break;
    }
    case 'svg': {
      known(['type', 'src']);
      if (typeof a.src === 'string') asset = { type: 'image', src: a.src };
      else problems.add([...apath, 'src'], 'must be the URL of an SVG file (inline SVG markup is not supported).');
      break;
    }
    case 'audio': {
      known(['type', 'src', 'trim', 'volume', 'speed', 'effect']);
      asset = { type: 'audio', src: src() };
      trimOf(a.trim, asset, [...apath, 'trim'], ctx);
      speedOf(a.speed, asset, [...apath, 'speed'], ctx);
      audible = volumeOf(a.volume, undefined, asset, keyframes, apath, ctx, c.length);
      fadeOf(a.effect, asset, [...apath, 'effect'], ctx, c.length);
      if (mute) return { audible: false };
      break;
    }
    case 'title': {
      const t = mapTitle(a, apath, ctx);
      asset = t.asset;
      position ??= t.position;
      offset ??= t.offset;
      break;
    }
    case 'text': asset = mapPlainText(a, apath, ctx, clipBox); boxFill = textBoxFill(a, asset, clipBox, ctx); break;
    case 'rich-text': asset = mapRichText(a, apath, ctx, clipBox); break;
    case 'caption': case 'rich-caption': {
      const m = mapCaption(a, apath, ctx, a.type === 'rich-caption');
      asset = m.asset;
      if (m.offset && offset === undefined) clip.offset = m.offset;
      break;
    }
    case 'shape': asset = mapShape(a, apath, ctx); break;
    default:
      problems.add([...apath, 'type'], `"${a.type}" is not an asset type Montage knows: use video, image, audio, title, text, rich-text, caption, rich-caption, luma, shape or svg.`);
      return { audible: false };
  }
  if (!asset) return { audible: false };
  // A video or image is fitted into its box (clip-box-fit.ts); Montage draws shapes, titles, svg
  // and captions at their own size, so a clip box has no equivalent there.
  const pictureBox = (a.type === 'video' || a.type === 'image') && (c.width !== undefined || c.height !== undefined);
  if (!BOXED.has(a.type) && !pictureBox) {
    for (const k of ['width', 'height'] as const) {
      if (c[k] !== undefined) problems.add([...path, k], `is not supported on ${/^[aeiou]/.test(a.type) ? 'an' : 'a'} ${a.type} clip: Montage draws it at ${a.type === 'svg' ? 'the size its fit and scale give (use an "image" asset with the SVG\'s URL for a box)' : 'its own size, set by its own fields'}; remove it.`);
    }
  }
  clip.asset = asset;
  clip.start = start;
  clip.length = smartClipLength(length, asset.type, [...path, 'length'], ctx.problems);

  if (c.fit !== undefined) {
    const fit = typeof c.fit === 'string' ? FITS[c.fit] : undefined;
    if (!fit) problems.add([...path, 'fit'], `"${String(c.fit)}" is not a fit: use crop, cover, contain or none.`);
    else if (asset.type === 'video' || asset.type === 'image') clip.fit = fit;
  }
  const scale = mapTweenable(c.scale, [...path, 'scale'], problems);
  if (scale.value !== undefined) { if (scale.value > 0) clip.scale = round(scale.value); else problems.add([...path, 'scale'], 'must be above 0.'); }
  if (scale.keys) keyframes.scale = scale.keys;
  if (position !== undefined) {
    if (typeof position === 'string' && POSITIONS.has(position)) clip.position = position;
    else problems.add([...path, 'position'], `"${String(position)}" is not a position: use one of ${[...POSITIONS].join(', ')}.`);
  }
  if (offset !== undefined) offsetOf(offset, clip, keyframes, [...path, 'offset'], ctx);
  if (pictureBox && (c.fit === undefined || (typeof c.fit === 'string' && FITS[c.fit]))) fitClipBox(c, String(asset.src), String(c.fit ?? 'crop'), clip, keyframes, path, ctx);
  const opacity = mapTweenable(c.opacity, [...path, 'opacity'], problems);
  if (opacity.value !== undefined) clip.opacity = Math.min(1, Math.max(0, opacity.value));
  if (opacity.keys) keyframes.opacity = opacity.keys;
  if (c.transform !== undefined) transformOf(c.transform, clip, keyframes, [...path, 'transform'], ctx);
  const { transition, nudges, zooms } = mapTransition(c.transition, [...path, 'transition'], problems);
  if (transition) clip.transition = transition;
  if (nudges.length) nudgeOffset(nudges, clip, keyframes, [...path, 'transition'], ctx);
  const { effect, zoom, slide } = mapEffect(c.effect, [...path, 'effect'], problems);
  const s = typeof clip.scale === 'number' ? clip.scale : 1;
  if (zoom && typeof clip.length === 'number' && !keyframes.scale) {
    // Shotstack's zoom rate, keyed over the clip, times the clip's own scale.
    keyframes.scale = [{ time: 0, value: round(s * zoom.from) }, { time: clip.length, value: round(s * zoom.to) }];
  } else if (slide && typeof clip.length === 'number' && !keyframes.scale && !keyframes[slide.axis]) {
    // Shotstack's travel, keyed over the clip about its place, on a picture enlarged to cover it.
    const rest = isObject(clip.offset) && typeof clip.offset[slide.axis] === 'number' ? clip.offset[slide.axis] as number : 0;
    clip.scale = round(s * (1 + 2 * slide.travel));
    keyframes[slide.axis] = [{ time: 0, value: round(rest - slide.sign * slide.travel) }, { time: clip.length, value: round(rest + slide.sign * slide.travel) }];
  } else if (effect) {
    clip.effect = effect;
    const why = typeof clip.length !== 'number' ? 'the clip\'s length is not in seconds' : keyframes.scale ? 'the clip\'s scale is tweened' : 'the clip\'s offset on that axis is tweened (or moved by a slide transition)';
    if (zoom) ctx.warnings.push(`${pathText([...path, 'effect'])}: ${String(c.effect)} zooms at Montage's rate (1 → 1.15 over the clip), not Shotstack's ${zoom.from === 1 ? zoom.to : zoom.from}×, because ${why}.`);
    if (slide) ctx.warnings.push(`${pathText([...path, 'effect'])}: ${String(c.effect)} pans at Montage's rate (across a 1.15 zoom), not Shotstack's ${slide.travel} of the frame each way, because ${why}.`);
  }
  // Times the clip's scale as it now is (a slide effect enlarges it).
  if (zooms.length) zoomTransition(zooms, clip, keyframes, typeof clip.scale === 'number' ? clip.scale : 1, [...path, 'transition'], ctx);
  const filter = mapFilter(c.filter, [...path, 'filter'], problems);
  if (filter) clip.filter = filter;
  // The box is placed where Shotstack places it: before the lines are anchored on their aligned side.
  const under = boxFill ? JSON.parse(JSON.stringify({ ...clip, asset: boxFill, ...(Object.keys(keyframes).length ? { keyframes } : {}) })) as JsonObject : undefined;
  if (BOXED.has(a.type)) anchorAlignedText(clip, keyframes);
  if (asset.type === 'shape') placeShapeCanvas(clip, keyframes, a, ctx);
  if (Object.keys(keyframes).length) clip.keyframes = keyframes;
  return { clip, audible: audible && !mute, ...(under ? { under } : {}) };
}

/**
 * A `text` asset's `background` fills its box in Shotstack: the asset's (or clip's) width × height
 * in pixels, the whole frame without them. The mapped Montage text (`out`) gives up its hugging
 * background and padding, and the box comes back as a rectangle of that colour and corner radius.
 */
function textBoxFill(a: JsonObject, out: JsonObject, clipBox: { width?: unknown; height?: unknown }, ctx: TextContext): JsonObject | undefined {
  const bg = out.background;
  if (bg === undefined) return undefined;
  delete out.background;
  delete out.padding;
  const px = (v: unknown, frame: number) => (typeof v === 'number' && v > 0 ? Math.min(v, frame) : frame);
  const fill = typeof bg === 'string' ? bg : String((bg as JsonObject).color);
  const radius = isObject(bg) && typeof bg.radius === 'number' ? bg.radius : 0;
  return {
    type: 'shape', shape: 'rectangle',
    width: Math.round(px(a.width ?? clipBox.width, ctx.width)), height: Math.round(px(a.height ?? clipBox.height, ctx.height)),
    fill, ...(radius > 0 ? { radius } : {}),
  };
}

/**
 * Shotstack draws a shape centred in a canvas of the asset's `width` × `height` (the whole frame
 * when they are omitted), and `position` places that canvas. Montage draws the shape at its own
 * size, so the clip is centred and offset to where the canvas's centre falls: a shape without a
 * canvas stays in the middle of the frame whatever its `position`, as in Shotstack.
 */
function placeShapeCanvas(clip: JsonObject, keyframes: Record<string, Keyframe[]>, a: JsonObject, ctx: TextContext) {
  const cw = typeof a.width === 'number' ? Math.min(a.width, ctx.width) : ctx.width;
  const ch = typeof a.height === 'number' ? Math.min(a.height, ctx.height) : ctx.height;
  const position = typeof clip.position === 'string' ? clip.position : 'center';
  const sx = /left$/i.test(position) ? -1 : /right$/i.test(position) ? 1 : 0;
  const sy = /^top/.test(position) ? -1 : /^bottom/.test(position) ? 1 : 0;
  const shift = { x: round((sx * (ctx.width - cw)) / (2 * ctx.width)), y: round((sy * (ctx.height - ch)) / (2 * ctx.height)) };
  delete clip.position;
  const offset = isObject(clip.offset) ? { ...clip.offset } : {};
  for (const axis of ['x', 'y'] as const) {
    if (shift[axis] === 0) continue;
    if (keyframes[axis]) keyframes[axis] = keyframes[axis].map((k) => ({ ...k, value: round(k.value + shift[axis]) }));
    offset[axis] = round((typeof offset[axis] === 'number' ? offset[axis] as number : 0) + shift[axis]);
  }
  if (Object.keys(offset).length) clip.offset = offset; else delete clip.offset;
}

function trimOf(v: unknown, asset: JsonObject, path: EditPath, ctx: TextContext) {
  if (v === undefined) return;
  if (typeof v !== 'number' || !(v >= 0)) ctx.problems.add(path, 'must be seconds ≥ 0 into the source.');
  else asset.trim = v;
}

function speedOf(v: unknown, asset: JsonObject, path: EditPath, ctx: TextContext) {
  if (v === undefined) return;
  if (typeof v !== 'number' || v < 0.25 || v > 4) ctx.problems.add(path, `${String(v)} is out of Montage's range: use a speed from 0.25 to 4.`);
  else if (v !== 1) asset.speed = v;
}

/** `volume` (number or tweens) and a fade `effect`; returns whether the asset plays sound at all. */
function volumeOf(v: unknown, effect: unknown, asset: JsonObject, keyframes: Record<string, Keyframe[]>, path: EditPath, ctx: TextContext, length: unknown): boolean {
  const vol = mapTweenable(v, [...path, 'volume'], ctx.problems);
  if (vol.value !== undefined) {
    if (vol.value < 0 || vol.value > 2) ctx.problems.add([...path, 'volume'], 'must be from 0 to 2.');
    else asset.volume = vol.value;
  }
  if (vol.keys) keyframes.volume = vol.keys;
  // "none" is one of Shotstack's volume effects: no fade.
  if (effect !== undefined && effect !== 'none') {
    if (vol.keys) ctx.problems.add([...path, 'volumeEffect'], 'cannot be combined with volume tweens: put the fade into the tweens.');
    else if (!['fadeIn', 'fadeOut', 'fadeInFadeOut'].includes(String(effect))) ctx.problems.add([...path, 'volumeEffect'], `"${String(effect)}" is not supported: use fadeIn, fadeOut or fadeInFadeOut.`);
    else if (typeof length !== 'number' && effect !== 'fadeIn') ctx.problems.add([...path, 'volumeEffect'], `${String(effect)} needs the clip's length in seconds (not "auto" or "end") to place the fade out, as Montage's volume keys count from the clip's start: give the length, or use fadeIn.`);
    else {
      const level = vol.value ?? 1;
      // A fade in needs no length: with "auto" or "end" it takes its full second.
      const d = typeof length === 'number' ? Math.min(1, length / 2) : 1;
      const keys: Keyframe[] = [];
      if (effect !== 'fadeOut') keys.push({ time: 0, value: 0 }, { time: d, value: level });
      if (effect !== 'fadeIn' && typeof length === 'number') keys.push({ time: round(length - d + (effect === 'fadeInFadeOut' && length - d <= d ? 0.001 : 0)), value: level }, { time: length, value: 0 });
      keyframes.volume = keys.filter((k, i, all) => i === 0 || k.time > all[i - 1].time);
    }
  }
  return (vol.value ?? 1) > 0 || !!vol.keys;
}

/**
 * Audio `effect`: fades of two seconds, or half the clip when it is shorter than four, as Shotstack
 * fades an audio clip (its Studio SDK: min(2, length / 2)); a length of `auto` or `end` takes 2 s.
 */
function fadeOf(effect: unknown, asset: JsonObject, path: EditPath, ctx: TextContext, length: unknown) {
  if (effect === undefined || effect === 'none') return; // "none": Shotstack's no-fade value
  const seconds = typeof length === 'number' ? round(Math.min(2, length / 2)) : 2;
  if (effect === 'fadeIn' || effect === 'fadeInFadeOut') asset.fadeIn = seconds;
  if (effect === 'fadeOut' || effect === 'fadeInFadeOut') asset.fadeOut = seconds;
  if (!['fadeIn', 'fadeOut', 'fadeInFadeOut'].includes(String(effect))) ctx.problems.add(path, `"${String(effect)}" is not supported: use fadeIn, fadeOut or fadeInFadeOut.`);
}

/** `crop` and `chromaKey` of a video or image. Shotstack's threshold and halo (defaults 150 and 100) map to similarity and blend (defaults 0.3 and 0.1). */
function lookOf(a: JsonObject, clip: JsonObject, path: EditPath, ctx: TextContext) {
  if (a.crop !== undefined) {
    if (!isObject(a.crop)) ctx.problems.add([...path, 'crop'], 'must be {top, bottom, left, right}, each 0–1.');
    else {
      onlyKeys(a.crop, ['top', 'bottom', 'left', 'right'], [...path, 'crop'], ctx, 'a crop');
      const crop: JsonObject = {};
      for (const side of ['top', 'bottom', 'left', 'right']) {
        const v = a.crop[side];
        if (v === undefined) continue;
        if (typeof v !== 'number' || v < 0 || v > 1) ctx.problems.add([...path, 'crop', side], 'must be a fraction from 0 to 1.');
        else if (v > 0) crop[side] = v;
      }
      if (Object.keys(crop).length) clip.crop = crop;
    }
  }
  if (a.chromaKey !== undefined) {
    const k = a.chromaKey;
    const c = isObject(k) ? colour(k.color, [...path, 'chromaKey', 'color'], ctx.problems) : undefined;
    if (!isObject(k)) ctx.problems.add([...path, 'chromaKey'], 'must be {color, threshold, halo}.');
    else if (c) {
      onlyKeys(k, ['color', 'threshold', 'halo'], [...path, 'chromaKey'], ctx, 'a chromaKey');
      for (const f of ['threshold', 'halo'] as const) {
        if (k[f] !== undefined && (typeof k[f] !== 'number' || k[f] < 0 || k[f] > 250)) ctx.problems.add([...path, 'chromaKey', f], 'must be a number from 0 to 250.');
      }
      const threshold = typeof k.threshold === 'number' ? k.threshold : 150;
      const halo = typeof k.halo === 'number' ? k.halo : 100;
      clip.chromaKey = { color: c, similarity: round(Math.min(1, Math.max(0.01, threshold / 500))), blend: round(Math.min(1, Math.max(0, halo / 1000))) };
    }
  }
}

/** Offsets: Shotstack's y points up, Montage's down; both are fractions of the frame. */
function offsetOf(o: unknown, clip: JsonObject, keyframes: Record<string, Keyframe[]>, path: EditPath, ctx: TextContext) {
  if (!isObject(o)) { ctx.problems.add(path, 'must be {x, y}.'); return; }
  const out: JsonObject = isObject(clip.offset) ? { ...clip.offset } : {};
  for (const axis of ['x', 'y'] as const) {
    const m = mapTweenable(o[axis], [...path, axis], ctx.problems, (n) => (axis === 'y' ? -n : n));
    const values = m.keys ? m.keys.map((k) => k.value) : m.value !== undefined ? [m.value] : [];
    if (values.some((v) => v < -1 || v > 1)) { ctx.problems.add([...path, axis], 'is beyond Montage\'s range: offsets must stay within -1 to 1 (a whole frame).'); continue; }
    if (m.value !== undefined) out[axis] = round(m.value);
    if (m.keys) keyframes[axis] = m.keys;
  }
  for (const k of Object.keys(o)) if (k !== 'x' && k !== 'y') ctx.problems.add([...path, k], 'is not an offset field: use x and y.');
  if (Object.keys(out).length) clip.offset = out;
}

/**
 * Shotstack's slide transitions move the clip by SLIDE_NUDGE while it fades: keys on the clip's
 * offset about where it rests. An offset already tweened on that axis keeps its tweens (the
 * transition is then only the fade), as does an out slide on a clip whose length is not in seconds
 * (Montage's keys count from the clip's start); each says so in a warning.
 */
function nudgeOffset(nudges: readonly SlideNudge[], clip: JsonObject, keyframes: Record<string, Keyframe[]>, path: EditPath, ctx: TextContext) {
  const length = clip.length;
  for (const axis of ['x', 'y'] as const) {
    const mine = nudges.filter((n) => n.axis === axis);
    if (!mine.length) continue;
    if (keyframes[axis]) {
      ctx.warnings.push(`${pathText(path)}: the slide only fades, without its slight move, because the clip's offset ${axis} is tweened.`);
      continue;
    }
    const rest = isObject(clip.offset) && typeof clip.offset[axis] === 'number' ? clip.offset[axis] as number : 0;
    const keys: Keyframe[] = [];
    const inN = mine.find((n) => n.side === 'in');
    const outN = mine.find((n) => n.side === 'out');
    if (inN) keys.push({ time: 0, value: round(rest - inN.sign * SLIDE_NUDGE) }, { time: inN.seconds, value: rest });
    if (outN && typeof length !== 'number') ctx.warnings.push(`${pathText([...path, 'out'])}: the slide out only fades, without its slight move, because the clip's length is not in seconds.`);
    else if (outN && typeof length === 'number') {
      const from = Math.max(length - outN.seconds, (keys.at(-1)?.time ?? -1) + 0.001, 0);
      if (from < length) keys.push({ time: round(from), value: rest }, { time: length, value: round(rest + outN.sign * SLIDE_NUDGE) });
    }
    if (keys.length) keyframes[axis] = keys;
  }
}

/**
 * Shotstack's zoom transition as its Studio SDK draws it: in, the clip shrinks from
 * ZOOM_TRANSITION_SCALE× its scale to its scale while its opacity rises from 0 (both easeIn); out,
 * the reverse (easeOut). Keyed on the clip's scale and opacity; where either is already keyed (a
 * tween, a zoom effect), or for an out zoom on a clip whose length is not in seconds, that side is
 * Montage's own `zoom` (grows from nothing), with a warning.
 */
function zoomTransition(zooms: MappedTransition['zooms'], clip: JsonObject, keyframes: Record<string, Keyframe[]>, s: number, path: EditPath, ctx: TextContext) {
  const length = clip.length;
  const o = typeof clip.opacity === 'number' ? clip.opacity : 1;
  const keyed = !keyframes.scale && !keyframes.opacity;
  const scale: Keyframe[] = [];
  const opacity: Keyframe[] = [];
  const fallback = (side: 'in' | 'out', seconds: number, why: string) => {
    const t: JsonObject = isObject(clip.transition) ? { ...clip.transition } : {};
    t[side] = 'zoom';
    t.duration = typeof t.duration === 'number' ? Math.min(t.duration, seconds) : seconds;
    clip.transition = t;
    ctx.warnings.push(`${pathText([...path, side])}: zoom grows from nothing (Montage's zoom), not from Shotstack's ${ZOOM_TRANSITION_SCALE}×, because ${why}.`);
  };
  for (const z of zooms) { // in before out, as mapTransition lists them
    if (!keyed) { fallback(z.side, z.seconds, 'the clip\'s scale or opacity is already animated'); continue; }
    if (z.side === 'in') {
      scale.push({ time: 0, value: round(s * ZOOM_TRANSITION_SCALE), easing: 'easeIn' }, { time: z.seconds, value: s });
      opacity.push({ time: 0, value: 0, easing: 'easeIn' }, { time: z.seconds, value: o });
      continue;
    }
    if (typeof length !== 'number') { fallback('out', z.seconds, 'the clip\'s length is not in seconds'); continue; }
    const from = round(Math.max(length - z.seconds, (scale.at(-1)?.time ?? -1) + 0.001, 0));
    if (from >= length) continue;
    scale.push({ time: from, value: s, easing: 'easeOut' }, { time: length, value: round(s * ZOOM_TRANSITION_SCALE) });
    opacity.push({ time: from, value: o, easing: 'easeOut' }, { time: length, value: 0 });
  }
  if (scale.length) { keyframes.scale = scale; keyframes.opacity = opacity; }
}

function transformOf(t: unknown, clip: JsonObject, keyframes: Record<string, Keyframe[]>, path: EditPath, ctx: TextContext) {
  if (!isObject(t)) { ctx.problems.add(path, 'must be {rotate, flip}.'); return; }
  for (const k of Object.keys(t)) {
    if (k === 'skew') ctx.problems.add([...path, 'skew'], 'is not supported: Montage\'s clips have no skew (shear) transform, only rotate and flip, so the slant cannot be drawn; remove it.');
    else if (k !== 'rotate' && k !== 'flip') ctx.problems.add([...path, k], 'is not a transform field: use rotate or flip.');
  }
  if (t.rotate !== undefined) {
    const r = isObject(t.rotate) ? mapTweenable(t.rotate.angle, [...path, 'rotate', 'angle'], ctx.problems) : undefined;
    if (isObject(t.rotate)) onlyKeys(t.rotate, ['angle'], [...path, 'rotate'], ctx, 'a rotate');
    if (!r) ctx.problems.add([...path, 'rotate'], 'must be {"angle": degrees}.');
    else {
      if (r.value !== undefined) clip.rotate = r.value;
      if (r.keys) keyframes.rotate = r.keys;
    }
  }
  if (t.flip !== undefined) {
    const f = t.flip;
    if (!isObject(f)) ctx.problems.add([...path, 'flip'], 'must be {horizontal, vertical}.');
    else if (onlyKeys(f, ['horizontal', 'vertical'], [...path, 'flip'], ctx, 'a flip'), ['horizontal', 'vertical'].some((k) => f[k] !== undefined && typeof f[k] !== 'boolean')) {
      ctx.problems.add([...path, 'flip'], 'horizontal and vertical must be true or false.');
    } else if (f.horizontal === true && f.vertical === true) clip.flip = 'both';
    else if (f.horizontal === true) clip.flip = 'horizontal';
    else if (f.vertical === true) clip.flip = 'vertical';
  }
}

/** `shape`: rectangle (corner radius), circle (radius) or line (length × thickness), with fill and stroke. */
function mapShape(a: JsonObject, path: EditPath, ctx: TextContext): JsonObject | undefined {
  const out: JsonObject = { type: 'shape' };
  const dims = (o: unknown, w: string, h: string, p: EditPath) => (isObject(o) && typeof o[w] === 'number' && typeof o[h] === 'number' ? [o[w] as number, o[h] as number] : (ctx.problems.add(p, `must be {"${w}": px, "${h}": px}.`), undefined));
  switch (a.shape) {
    case 'rectangle': {
      const d = dims(a.rectangle, 'width', 'height', [...path, 'rectangle']);
      if (!d) return undefined;
      Object.assign(out, { shape: 'rectangle', width: d[0], height: d[1] });
      if (isObject(a.rectangle) && typeof a.rectangle.cornerRadius === 'number') out.radius = a.rectangle.cornerRadius;
      break;
    }
    case 'circle': {
      const r = isObject(a.circle) && typeof a.circle.radius === 'number' ? a.circle.radius : undefined;
      if (!r) { ctx.problems.add([...path, 'circle'], 'must be {"radius": px}.'); return undefined; }
      Object.assign(out, { shape: 'circle', width: r * 2, height: r * 2 });
      break;
    }
    case 'line': {
      const d = dims(a.line, 'length', 'thickness', [...path, 'line']);
      if (!d) return undefined;
      Object.assign(out, { shape: 'rectangle', width: d[0], height: d[1] });
      break;
    }
    default:
      ctx.problems.add([...path, 'shape'], `"${String(a.shape)}" is not a shape: use rectangle, circle or line.`);
      return undefined;
  }
  for (const k of Object.keys(a)) if (!['type', 'shape', 'rectangle', 'circle', 'line', 'fill', 'stroke', 'width', 'height'].includes(k)) ctx.problems.add([...path, k], 'is not supported on a shape asset: remove it.');
  // The asset's width × height is the canvas the shape is centred in (placeShapeCanvas moves the
  // clip to where that puts it); a canvas smaller than the shape would clip it, which Montage does not.
  for (const k of ['width', 'height'] as const) {
    const v = a[k];
    if (v === undefined) continue;
    const own = Number(out[k]);
    if (typeof v !== 'number' || v < own) ctx.problems.add([...path, k], `must be at least the shape's own ${k} (${own} px): Montage does not clip a shape to its canvas.`);
  }
  if (isObject(a.fill)) onlyKeys(a.fill, ['color', 'opacity'], [...path, 'fill'], ctx, 'a fill');
  if (isObject(a.stroke)) {
    onlyKeys(a.stroke, ['color', 'width', 'opacity'], [...path, 'stroke'], ctx, 'a stroke');
    if (typeof a.stroke.width !== 'number' || a.stroke.width < 0) ctx.problems.add([...path, 'stroke', 'width'], 'must be the stroke\'s width in px.');
  }
  if (isObject(a.fill)) { const c = colour(a.fill.color, [...path, 'fill', 'color'], ctx.problems, a.fill.opacity); if (c) out.fill = c; }
  if (isObject(a.stroke)) {
    const c = colour(a.stroke.color, [...path, 'stroke', 'color'], ctx.problems, a.stroke.opacity);
    if (c && typeof a.stroke.width === 'number') out.stroke = { color: c, width: a.stroke.width };
  }
  return out;
}
