/**
 * The look inside the clip's box, on its box-sized frames (after fitting and Ken Burns, before
 * rotation, so all of it turns and moves with the clip): the mask, then the border, then the
 * rounded corners, which cut the border too so its outer edge is as smooth as the picture's.
 */
import type { FilterGraph } from '../filter-graph.ts';
import { even, type Size } from '../layout-box.ts';
import type { ClipLook, LookRaster } from './clip-look.ts';
import { maskStream, multiplyAlpha, type MaskTiming } from './masks.ts';
import { keyedStream } from './chroma-key.ts';

/** Whether the clip's look has anything to do inside its box. */
export const hasBoxLook = (look: ClipLook | undefined, keyHere = false): look is ClipLook =>
  !!look && (!!look.mask || !!look.frame?.mask || !!look.frame?.border || (keyHere && !!look.chromaKey));

/** A still picture (decoded once) repeated for the part's N frames. */
const stillStream = (graph: FilterGraph, r: LookRaster, pix: string, t: MaskTiming, prefix: string): string => {
  const i = graph.input(r.path);
  return graph.chain([`${i}:v`], ['trim=end_frame=1', `format=${pix}`, `loop=loop=${t.N - 1}:size=1:start=0`, `settb=1/${t.tbDen}`, 'setpts=N*1000'], graph.label(prefix));
};

/**
 * The parts of the border picture that are not fully transparent: strips along the four edges, as
 * deep as the border's width or the corners' radius (the ring follows the rounded corners), plus
 * a pixel of antialiasing; even, for 4:2:0. Undefined when the strips would cover most of it.
 */
export const borderStrips = (r: LookRaster, look: ClipLook): Array<{ x: number; y: number; w: number; h: number }> | undefined => {
  const T = even(Math.ceil(Math.max(look.radius, look.border?.width ?? 0)) + 2);
  if (r.width % 2 || r.height % 2 || 4 * T >= Math.min(r.width, r.height)) return undefined;
  return [
    { x: 0, y: 0, w: r.width, h: T },
    { x: 0, y: r.height - T, w: r.width, h: T },
    { x: 0, y: T, w: T, h: r.height - 2 * T },
    { x: r.width - T, y: T, w: T, h: r.height - 2 * T },
  ];
};

/**
 * `keyHere`: the source has alpha of its own, which chromakey would overwrite, so the key is made
 * here instead, on a copy, and multiplied into the picture's alpha.
 */
export const planBoxLook = (graph: FilterGraph, head: string, look: ClipLook, B: Size, t: MaskTiming, headHasAlpha: boolean, keyHere = false): string => {
  let current = head;
  let hasAlpha = headHasAlpha;
  if (keyHere && look.chromaKey) {
    current = keyedStream(graph, current, look.chromaKey, B, true);
    hasAlpha = true;
  }
  if (look.mask) {
    current = multiplyAlpha(graph, current, maskStream(graph, look.mask, B, t), hasAlpha);
    hasAlpha = true;
  }
  if (look.frame?.border) {
    const border = stillStream(graph, look.frame.border, graph.pixels.alpha, t, 'lb');
    const strips = borderStrips(look.frame.border, look);
    if (!strips) {
      current = graph.chain([current, border], [`overlay=x=0:y=0:eof_action=pass:repeatlast=0:format=${graph.pixels.overlay}`], graph.label('bordered'));
    } else {
      // Only the four strips along the edges hold any of the border: each is laid on its own, so
      // the transparent middle of the picture is not blended on every frame.
      const parts = strips.map(() => graph.label('ls'));
      graph.chain([border], [`split=${strips.length}`], parts);
      strips.forEach((r, i) => {
        const strip = graph.chain([parts[i]], [`crop=w=${r.w}:h=${r.h}:x=${r.x}:y=${r.y}:exact=1`], graph.label('ls'));
        current = graph.chain([current, strip], [`overlay=x=${r.x}:y=${r.y}:eof_action=pass:repeatlast=0:format=${graph.pixels.overlay}`], graph.label('bordered'));
      });
    }
  }
  if (look.frame?.mask) {
    current = multiplyAlpha(graph, current, stillStream(graph, look.frame.mask, 'gray', t, 'lr'), hasAlpha);
  }
  return current;
};
