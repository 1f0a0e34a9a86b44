/**
 * The CLI's one-line description of a written file, from what it holds: a picture size only when
 * there is a picture, a duration only when there is time. `wav, 3.00 s` rather than
 * `wav, 1280×720, 3.00 s`; `png, 1280×720` rather than `png, 1280×720, 0.00 s`.
 */
import type { CompositionSummary } from '../ports/render-engine.ts';

const AUDIO_ONLY = new Set(['mp3', 'wav']);
const STILLS = new Set(['png', 'jpg']);

export function describeOutput(s: Pick<CompositionSummary, 'format' | 'width' | 'height' | 'fps' | 'duration'>, bytes: number): string {
  const parts: string[] = [s.format];
  if (!AUDIO_ONLY.has(s.format)) parts.push(`${s.width}×${s.height}`);
  if (!STILLS.has(s.format)) parts.push(`${s.duration.toFixed(2)} s`);
  parts.push(`${(bytes / 1e6).toFixed(2)} MB`);
  return parts.join(', ');
}
