/**
 * Shotstack's smart clips: `length: "auto"` is the source's duration for video and audio, and
 * 3 seconds for an asset without one (image, svg, title, text, rich-text, shape), as Shotstack's
 * Smart Clips guide says. Montage's `auto` is for video and audio only, so the others get the 3 s
 * here; a caption's `auto` has no documented meaning and is refused with the fix.
 */
import type { EditPath, ProblemList } from './edit-problems.ts';

/** Seconds Shotstack gives a clip of an asset without a duration whose length is `auto`. */
export const AUTO_LENGTH_SECONDS = 3;

/** The Montage `length` of a clip whose Montage asset is `assetType`. */
export function smartClipLength(length: unknown, assetType: unknown, path: EditPath, problems: ProblemList): unknown {
  if (length !== 'auto' || assetType === 'video' || assetType === 'audio') return length;
  if (assetType === 'captions') {
    problems.add(path, '"auto" has no length for a caption: give the length in seconds, or "end" to keep the captions until the video ends.');
    return length;
  }
  return AUTO_LENGTH_SECONDS;
}
