/**
 * The rotate filter for a clip's picture. ffmpeg's rotate samples its input bilinearly but treats
 * a source position within one pixel outside the picture as the edge pixel itself: every rotated
 * picture, even at 0°, came out one whole opaque pixel larger on each side (a 100×60 box drawn
 * 102×62). A transparent margin of two pixels (even, for 4:2:0 chroma) first gives that sampling
 * nothing to copy, so the edge is antialiased where it truly is. The output size is unchanged.
 */
import { num } from './easing.ts';

const MARGIN = 2;

/** `angle`: radians, a number or an expression (already quoted for the graph). */
export const rotateFilters = (angle: string | number, ow: number, oh: number): string[] => [
  `pad=iw+${2 * MARGIN}:ih+${2 * MARGIN}:${MARGIN}:${MARGIN}:color=black@0`,
  `rotate=a=${typeof angle === 'number' ? num(angle) : angle}:ow=${ow}:oh=${oh}:c=black@0`,
];
