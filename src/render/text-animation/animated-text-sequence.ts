/**
 * A `text` asset with `animation` as a raster sequence: laid out once, as a static text of the same
 * style is (rich-units.ts: spans, gradient, shrink, fallback fonts, bidi), drawn once per distinct
 * state, only the text's own box (plus the room its units move in).
 */
import type { TextSpan } from '../../composition/schema.ts';
import type { FieldProblem } from '../../errors/registry.ts';
import type { FontRegistry } from '../raster/font-registry.ts';
import type { FrameSize, TextStyle } from '../raster/render-text.ts';
import { animatedDraws, animationReach, drawKey, finestUnit, resolveTextAnimation } from './animate-units.ts';
import { buildRasterSequence, type RasterSequence } from './raster-sequence.ts';
import { encodeAndRelease } from './encode-png.ts';
import { blankCanvas } from './text-units.ts';
import { drawRichUnits, layoutRichUnits } from './rich-units.ts';

export interface SequenceTiming {
  /** The clip on the timeline, seconds. */
  readonly start: number;
  readonly length: number;
  readonly fps: number;
  /** An instant on the output's frame grid (the rendered range's start). */
  readonly origin: number;
  /** The rendered range's end, when only a range is rendered. */
  readonly until?: number;
}

/** Stores a PNG under a name and returns its path. */
export type SavePng = (name: string, png: Buffer) => Promise<string>;

export const animatedTextSequence = async (
  style: TextStyle, text: string | readonly TextSpan[], frame: FrameSize, fonts: FontRegistry, pointer: string,
  timing: SequenceTiming, name: string, save: SavePng, warn?: (p: FieldProblem) => void, overflow?: (p: FieldProblem) => void,
): Promise<RasterSequence> => {
  const anim = resolveTextAnimation(style.animation);
  const rich = layoutRichUnits(style, text, frame, fonts, finestUnit(anim.in?.by, anim.out?.by), pointer, warn, overflow);
  if (!rich) return blankSequence(pointer, timing, name, save);
  const { layout } = rich;
  const reach = animationReach(layout, anim);
  const margin = { x: Math.ceil(reach.x), y: Math.ceil(reach.y) };
  const F = 1 / timing.fps;
  const drawsAt = (t: number) => animatedDraws(layout, anim, t, timing.length, F);
  let size = { width: 2, height: 2 };
  const seq = await buildRasterSequence({
    ...timing,
    pointer,
    keyAt: (t) => drawKey(drawsAt(t)),
    draw: async (t, index) => {
      const canvas = drawRichUnits(rich, margin, drawsAt(t));
      size = { width: canvas.width, height: canvas.height };
      return save(`${name}-${index}`, encodeAndRelease(canvas));
    },
  }, { width: 0, height: 0, box: layout.box });
  return { ...seq, frame: { ...seq.frame, ...size } };
};

/** Text with nothing to draw (empty or only spaces): one transparent image, as a static text of it is. */
const blankSequence = async (pointer: string, timing: SequenceTiming, name: string, save: SavePng): Promise<RasterSequence> => {
  const seq = await buildRasterSequence({
    ...timing,
    pointer,
    keyAt: () => 'blank',
    draw: async (_t, index) => save(`${name}-${index}`, encodeAndRelease(blankCanvas(2, 2))),
  }, { width: 2, height: 2, box: { width: 2, height: 2 } });
  return seq;
};
