/**
 * The operator's limits (config.limits) checked on a validated composition before anything is
 * queued or downloaded, each failure a problem with the pointer of the field to change. Also
 * refuses `src` values the service never reads (local paths), as soon as the request arrives.
 */
import { pointerToken } from '../composition/json-pointer.ts';
import type { Limits } from '../config/load-config.ts';
import type { FieldProblem } from '../errors/registry.ts';
import type { CompositionSummary } from '../ports/render-engine.ts';

/** Every `src` string in a composition with its JSON Pointer. */
export function collectSrcs(value: unknown, pointer = ''): { pointer: string; src: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => collectSrcs(v, `${pointer}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = `${pointer}/${pointerToken(k)}`;
    return k === 'src' && typeof v === 'string' ? [{ pointer: p, src: v }] : collectSrcs(v, p);
  });
}

/** The service reads only remote URLs and uploaded assets, never a path on its own disk. */
export function isServiceSrc(src: string): boolean {
  return /^https?:\/\//i.test(src) || /^asset:[A-Za-z0-9_-]+$/.test(src);
}

export function checkLimits(composition: unknown, summary: CompositionSummary, limits: Limits): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (summary.duration > limits.maxDurationSeconds) {
    problems.push({ pointer: '/output/duration', detail: `The video lasts ${summary.duration} s; this service renders at most ${limits.maxDurationSeconds} s. Shorten the timeline or set output.duration.` });
  }
  // The long side and the area, not width and height apart: portrait frames are as welcome as landscape ones.
  const long = Math.max(summary.width, summary.height);
  const longPointer = summary.width >= summary.height ? '/output/width' : '/output/height';
  if (long > limits.maxLongSide) {
    problems.push({ pointer: longPointer, detail: `The frame's long side is ${long} pixels; this service's limit is ${limits.maxLongSide} pixels (MONTAGE_MAX_LONG_SIDE), for landscape and portrait alike.` });
  } else if (summary.width * summary.height > limits.maxPixels) {
    problems.push({ pointer: '/output', detail: `The frame is ${summary.width}×${summary.height} = ${summary.width * summary.height} pixels; this service's limit is ${limits.maxPixels} pixels (MONTAGE_MAX_PIXELS, e.g. 3840×2160).` });
  }
  if (summary.fps > limits.maxFps) {
    problems.push({ pointer: '/output/fps', detail: `${summary.fps} fps is above this service's limit of ${limits.maxFps} fps.` });
  }
  const srcs = collectSrcs(composition);
  const distinct = new Set(srcs.map((s) => s.src));
  if (distinct.size > limits.maxAssets) {
    problems.push({ pointer: '/tracks', detail: `The composition uses ${distinct.size} different sources; this service accepts at most ${limits.maxAssets}.` });
  }
  return problems;
}

/** One problem per `src` the service would refuse to read (a local path, another scheme). */
export function checkServiceSrcs(composition: unknown): FieldProblem[] {
  return collectSrcs(composition).filter((s) => !isServiceSrc(s.src)).map((s) => ({
    pointer: s.pointer,
    detail: 'The service reads only https:// URLs and uploaded assets (asset:ID), never a local path. Upload the file with POST /v1/assets and use its id.',
  }));
}
