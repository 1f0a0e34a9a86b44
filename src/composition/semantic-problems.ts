/**
 * The rules of COMPOSITION.md that a JSON Schema cannot say: even frame sizes for H.264/VP9, the
 * GIF frame-rate cap, `"auto"` only on timed media, keyframe order, captions from exactly one
 * source, cue and range times that make sense, fonts that exist. Written defensively: it runs on
 * input the schema may also have rejected, so every problem is reported in one pass.
 */
import type { FieldProblem } from '../errors/registry.ts';
import { BUNDLED_FONT_FAMILIES, FALLBACK_FONT_FAMILIES } from './bundled-fonts.ts';
import { textProblems } from './text-problems.ts';
import { didYouMean, listWords } from './did-you-mean.ts';
import { resolveClipTimes } from './clip-times.ts';
import { lookProblems } from './look-problems.ts';
import { outputSourceProblems } from './output-source-problems.ts';
import { captionProblems } from './caption-problems.ts';
import { textAnimationWarnings } from './text-animation-problems.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

/** Keyframe values must stay within what the matching static property accepts. */
const KEY_RANGES: Record<string, { min: number; max: number; minExclusive?: boolean; what: string }> = {
  opacity: { min: 0, max: 1, what: 'an opacity from 0 to 1' },
  scale: { min: 0, max: 100, minExclusive: true, what: 'a scale > 0 and ≤ 100' },
  x: { min: -1, max: 1, what: 'an offset from -1 to 1 (fraction of the frame width)' },
  y: { min: -1, max: 1, what: 'an offset from -1 to 1 (fraction of the frame height)' },
  rotate: { min: -3600, max: 3600, what: 'degrees from -3600 to 3600' },
  blur: { min: 0, max: 200, what: 'a blur sigma from 0 to 200 px' },
  volume: { min: 0, max: 2, what: 'a volume from 0 to 2' },
};

/** Asset types without a duration of their own, for which `"auto"` means nothing. */
const VISUAL_ONLY = new Set(['image', 'text', 'shape', 'color', 'captions']);
const VIDEO_CODEC_FORMATS = new Set(['mp4', 'webm', 'mov']);
const STILL_FORMATS = new Set(['png', 'jpg']);
const AUDIO_FORMATS = new Set(['mp3', 'wav']);

/** Clip times with `start: "auto"` and `length: "end"` resolved; `"auto"` lengths are unknown before probing. */
export const clipTimes = (c: Obj) => {
  const explicit = obj(c.output).duration;
  return resolveClipTimes(arr(c.tracks).map((t) => arr(obj(t).clips).map(obj)), () => undefined, isNum(explicit) ? explicit : undefined);
};

/** Timeline end from explicit lengths, or undefined while an `"auto"` length leaves it unknown. */
export const knownDuration = (c: Obj): number | undefined => clipTimes(c).duration;
/** The names of a CSS-style family list, quotes removed: `Brand, "DejaVu Sans"` → ["Brand", "DejaVu Sans"]. */
const familyNames = (family: string): string[] =>
  family.split(',').map((n) => n.trim().replace(/^(["'])(.*)\1$/, '$2').trim()).filter((n) => n !== '');

export interface SemanticResult {
  readonly problems: FieldProblem[];
  readonly warnings: FieldProblem[];
}

export const semanticProblems = (c: Obj): SemanticResult => {
  const problems: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];
  const out = obj(c.output);
  const format = typeof out.format === 'string' ? out.format : 'mp4';
  const width = isNum(out.width) ? out.width : 1280;
  const height = isNum(out.height) ? out.height : 720;

  if (VIDEO_CODEC_FORMATS.has(format)) {
    for (const [name, v] of [['width', width], ['height', height]] as const) {
      if (Number.isInteger(v) && v % 2 === 1) {
        problems.push({ pointer: `/output/${name}`, detail: `must be even for ${format} (the encoder needs whole chroma pixels), got ${v}: use ${v - 1} or ${v + 1}` });
      }
    }
  }
  if (format === 'gif' && isNum(out.fps) && out.fps > 30) {
    problems.push({ pointer: '/output/fps', detail: `must be at most 30 for gif (browsers slow faster GIFs down), got ${out.fps}` });
  }
  if (AUDIO_FORMATS.has(format)) {
    for (const k of ['poster', 'thumbnail'] as const) {
      if (out[k] !== undefined) warnings.push({ pointer: `/output/${k}`, detail: `is ignored: ${format} has no picture` });
    }
  }
  if (STILL_FORMATS.has(format) && out.poster !== undefined) {
    warnings.push({ pointer: '/output/poster', detail: `is ignored for ${format}: the output is itself one frame` });
  }
  if (!STILL_FORMATS.has(format) && out.frame !== undefined) {
    warnings.push({ pointer: '/output/frame', detail: `is ignored for ${format}: it chooses the instant of png and jpg stills; use range for a part of a video` });
  }

  const declared = arr(c.fonts).map((f) => obj(f).family).filter((f): f is string => typeof f === 'string');
  const families = [...BUNDLED_FONT_FAMILIES, ...FALLBACK_FONT_FAMILIES, ...declared];
  const known = new Set(families.map((f) => f.trim().toLowerCase()));

  let clipCount = 0;
  arr(c.tracks).forEach((track, ti) => arr(obj(track).clips).forEach((clipValue, ci) => {
    clipCount++;
    const clip = obj(clipValue);
    const at = `/tracks/${ti}/clips/${ci}`;
    const asset = obj(clip.asset);
    const type = asset.type;
    if (clip.length === 'auto' && typeof type === 'string' && VISUAL_ONLY.has(type)) {
      problems.push({ pointer: `${at}/length`, detail: `"auto" only works for video and audio assets, not ${type}: give the length in seconds` });
    }
    lookProblems(clip, at, problems, warnings);
    const checkFamily = (family: unknown, pointer: string) => {
      if (typeof family !== 'string') return;
      // A CSS-style list: every name must be available (a typo in a fallback would go unnoticed).
      for (const name of familyNames(family)) {
        if (known.has(name.toLowerCase())) continue;
        const guess = didYouMean(name, families);
        problems.push({
          pointer,
          detail: `font family "${name}" is not available${guess ? `: did you mean "${guess}"?` : '.'} Use ${listWords([...BUNDLED_FONT_FAMILIES, ...declared])}, one of Montage's fallback fonts (such as "Noto Sans CJK JP" or "Noto Color Emoji"), or declare it in "fonts".`,
        });
      }
    };
    checkFamily(obj(asset.font).family, `${at}/asset/font/family`);
    arr(asset.text).forEach((span, k) => checkFamily(obj(obj(span).font).family, `${at}/asset/text/${k}/font/family`));
    problems.push(...textProblems(asset, `${at}/asset`));
    if (type === 'text' && asset.verticalAlign !== undefined && asset.height === undefined) {
      warnings.push({ pointer: `${at}/asset/verticalAlign`, detail: 'does nothing without "height": it places the lines inside the box that height gives; set "height" (a fraction of the frame height) or remove it' });
    }
    if (type === 'captions') captionProblems(asset, at, clip.length, problems, warnings);
    textAnimationWarnings(asset, at, clip.length, warnings);
    for (const [prop, keys] of Object.entries(obj(clip.keyframes))) {
      const range = KEY_RANGES[prop];
      let previous: number | undefined;
      arr(keys).forEach((keyValue, k) => {
        const key = obj(keyValue);
        if (isNum(key.time)) {
          if (previous !== undefined && key.time <= previous) {
            problems.push({ pointer: `${at}/keyframes/${prop}/${k}/time`, detail: `must be later than the previous key's time (${previous} s), got ${key.time}: list keys in time order, without repeats` });
          }
          if (isNum(clip.length) && key.time > clip.length) {
            warnings.push({ pointer: `${at}/keyframes/${prop}/${k}/time`, detail: `is after the clip ends (${clip.length} s): this key is never reached` });
          }
          previous = key.time;
        }
        if (range && isNum(key.value) && (key.value > range.max || key.value < range.min || (range.minExclusive && key.value === range.min))) {
          problems.push({ pointer: `${at}/keyframes/${prop}/${k}/value`, detail: `must be ${range.what}, got ${key.value}` });
        }
      });
    }
  }));

  problems.push(...outputSourceProblems(c));
  const times = clipTimes(c);
  problems.push(...times.problems);
  const duration = times.duration;
  if (clipCount === 0 && arr(c.tracks).length > 0 && !isNum(out.duration)) {
    problems.push({ pointer: '/tracks', detail: 'has no clips, so the timeline is empty: add a clip or set output.duration' });
  }
  if (duration !== undefined && duration > 0) {
    const range = obj(out.range);
    if (isNum(range.start) && range.start >= duration) {
      problems.push({ pointer: '/output/range/start', detail: `is at or after the end of the timeline (${duration} s): start earlier` });
    } else if (isNum(range.start) && isNum(range.length) && range.start + range.length > duration + 1e-9) {
      warnings.push({ pointer: '/output/range/length', detail: `reaches past the end of the timeline (${duration} s): the render stops there` });
    }
    if (STILL_FORMATS.has(format) && isNum(out.frame) && out.frame >= duration) {
      problems.push({ pointer: '/output/frame', detail: `is at or after the end of the timeline (${duration} s): choose an earlier instant` });
    }
    // Both are cut from the rendered file, so their time counts from the range's start.
    const ranged = isNum(range.start) && isNum(range.length) && range.start < duration;
    const rendered = ranged ? Math.min(range.length as number, duration - (range.start as number)) : duration;
    for (const k of ['poster', 'thumbnail'] as const) {
      const time = obj(out[k]).time;
      if (isNum(time) && time >= rendered && !AUDIO_FORMATS.has(format)) {
        const end = ranged ? `the rendered range (${rendered} s long; the time counts from its start)` : `the timeline (${duration} s)`;
        warnings.push({ pointer: `/output/${k}/time`, detail: `is at or after the end of ${end}: the last frame is used` });
      }
    }
  }
  return { problems, warnings };
};
