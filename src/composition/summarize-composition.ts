/** What `montage validate` and `POST /v1/validate` report about a valid composition. */
import type { CompositionSummary } from '../ports/render-engine.ts';
import type { FieldProblem } from '../errors/registry.ts';
import type { Composition } from './schema.ts';
import { clipTimes } from './semantic-problems.ts';
import { scaleComposition } from './scale-composition.ts';

/**
 * Duration of the result (after `range`; 0 for stills), frame size, rate and format. While an
 * `"auto"` length leaves the timeline's end unknown until the media is probed, the duration counts
 * the explicit clips only and a warning says so.
 */
export const summarizeComposition = (c: Composition, warnings: readonly FieldProblem[] = []): CompositionSummary => {
  const format = c.output.format ?? 'mp4';
  const all = [...warnings];
  const times = clipTimes(c as unknown as Record<string, unknown>);
  let timeline = times.duration;
  if (timeline === undefined) {
    timeline = times.clips.flat().reduce((end, k) => (k.start !== undefined && k.length !== undefined ? Math.max(end, k.start + k.length) : end), 0);
    all.push({ pointer: '/tracks', detail: 'has "auto" lengths: the duration is known once the media is probed; this one counts the other clips only' });
  }
  const range = c.output.range;
  const size = scaleComposition(c).output; // the output's size, after output.scale
  const duration = format === 'png' || format === 'jpg'
    ? 0
    : range ? Math.max(0, Math.min(timeline, range.start + range.length) - range.start) : timeline;
  return {
    duration: Number(duration.toFixed(6)),
    width: size.width ?? 1280,
    height: size.height ?? 720,
    fps: c.output.fps ?? 30,
    format,
    warnings: all,
  };
};
