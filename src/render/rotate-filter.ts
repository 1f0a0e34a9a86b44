/**
 * The rotate filter for a clip's picture. ffmpeg's rotate samples its input bilinearly but treats
 * a source position within one pixel outside the picture as the edge pixel itself: every rotated
 * picture, even at 0°, came out one whole opaque pixel larger on each side (a 100×60 box drawn
 * 102×62). Its alpha is therefore taken from a second rotation of the picture with a transparent
 * margin of two pixels (even, for 4:2:0 chroma), which gives that sampling nothing to copy, so the
 * edge is antialiased where it truly is. The colour keeps the plain rotation: rotated with the
 * margin, it would mix with the margin's black and draw a dark fringe round the clip.
 * The output size is unchanged.
 */
import { num } from './easing.ts';
import type { FilterGraph } from './filter-graph.ts';

const MARGIN = 2;

/**
 * One chain element (it holds its own branches): `angle` in radians, a number or an expression
 * already quoted for the graph.
 */
export const rotateFilters = (graph: FilterGraph, angle: string | number, ow: number, oh: number): string => {
  const rotate = `rotate=a=${typeof angle === 'number' ? num(angle) : angle}:ow=${ow}:oh=${oh}:c=black@0`;
  const [c, a, rc, ra] = [graph.label('rotc'), graph.label('rota'), graph.label('rotrc'), graph.label('rotra')];
  return `split[${c}][${a}];[${a}]pad=iw+${2 * MARGIN}:ih+${2 * MARGIN}:${MARGIN}:${MARGIN}:color=black@0,${rotate},alphaextract[${ra}];` +
    `[${c}]${rotate}[${rc}];[${rc}][${ra}]alphamerge`;
};
