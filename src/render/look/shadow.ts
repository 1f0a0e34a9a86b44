/**
 * `shadow`: a drop shadow of what the clip shows, its alpha shape included (rounded corners, masks,
 * keyed-out background, opacity and transitions), cast on what lies beneath. The clip's finished
 * picture is recoloured to the shadow colour (a constant lookup, keeping alpha), padded by the
 * blur's reach, blurred, and laid under the clip at its offset. `blur` is a CSS-style blur radius:
 * the Gaussian's sigma is half of it.
 */
import { num } from '../easing.ts';
import { ffColour, q, type FilterGraph } from '../filter-graph.ts';
import { even, type Size } from '../layout-box.ts';
import { shiftToFrame } from '../frame-rate.ts';
import { YUV_PIXELS, type WorkingPixels } from '../working-pixels.ts';

export interface Shadow { readonly color: string; readonly blur: number; readonly x: number; readonly y: number }

const rgba = (hex: string): [number, number, number, number] => {
  let h = hex.replace('#', '');
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), h.length === 8 ? parseInt(h.slice(6), 16) / 255 : 1];
};

/** Pixels of transparent margin around the picture so the blur is not cut: three sigmas, even. */
export const shadowMargin = (blur: number): number => (blur > 0 ? even(Math.ceil(1.5 * blur) + 1) : 0);

/**
 * The shadow's filters, for a copy of the clip's picture of size `R` (before any per-frame resize,
 * which the caller appends to both). The result is R padded by the margin on each side.
 */
export const shadowFilters = (s: Shadow, pixels: WorkingPixels = YUV_PIXELS): string[] => {
  const [r, g, b, a] = rgba(s.color);
  const m = shadowMargin(s.blur);
  const pad = m ? [`pad=w=iw+${2 * m}:h=ih+${2 * m}:x=${m}:y=${m}:color=${ffColour(s.color).replace(/@.*/, '@0')}`] : [];
  const blur = m ? [`gblur=sigma=${num(s.blur / 2)}:planes=8`] : [];
  const opacity = q(`val*${num(a)}`);
  // A still's planar RGB (working-pixels.ts): the colour as it is, alpha the fourth plane again.
  if (pixels.lut === 'lutrgb') return [`format=${pixels.alpha}`, ...pad, `lutrgb=r=${r}:g=${g}:b=${b}:a=${opacity}`, ...blur];
  // BT.601 limited range, as ffmpeg's yuv420p.
  const Y = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  const U = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
  const V = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
  // Padded first, then recoloured: the colour planes are then one constant everywhere, margin
  // included, and only the alpha plane needs the blur (planes=8), a third of the work of all four.
  return [`format=${pixels.alpha}`, ...pad, `lutyuv=y=${Y}:u=${U}:v=${V}:a=${opacity}`, ...blur];
};

/**
 * The shadow layer's overlay position from the clip's: the same place moved by the offset and
 * out by the margin. `overlay_w`/`overlay_h` in the clip's expressions mean the clip's size, so
 * they are rewritten from the shadow's (larger by the margin, at the same per-frame scale).
 */
export const shadowPlacement = (clipX: string, clipY: string, s: Shadow, R: Size): { x: string; y: string } => {
  const m = shadowMargin(s.blur);
  if (!m) return { x: `${clipX}+${num(s.x)}`, y: `${clipY}+${num(s.y)}` };
  const W = R.w + 2 * m;
  const H = R.h + 2 * m;
  const x = clipX.replaceAll('overlay_w', `(overlay_w*${R.w}/${W})`);
  const y = clipY.replaceAll('overlay_h', `(overlay_h*${R.h}/${H})`);
  return { x: `${x}+${num(s.x)}-overlay_w*${m}/${W}`, y: `${y}+${num(s.y)}-overlay_h*${m}/${H}` };
};

/**
 * Splits the clip's finished picture (`current`, with `chain` still to apply) in two: the picture,
 * and its shadow. The per-frame resize at the end of `chain` (`scale=w=…:eval=frame`) is applied to
 * both; `chain` keeps only it. A `still` picture (one whose alpha is the same on every frame) is blurred once and
 * repeated; so is the shadow of a picture whose alpha is the same on every frame (`still`: the
 * shadow is made of the alpha alone), such as a video with rounded corners. Returns the labels of the picture and of the finished shadow stream.
 */
export const splitShadow = (
  graph: FilterGraph, current: string, chain: string[], s: Shadow,
  o: { readonly still: boolean; readonly N: number; readonly first: number; readonly fps: number; readonly retime: readonly string[] },
): [string, string] => {
  const resize = chain.filter((f) => f.startsWith('scale=w='));
  const pre = graph.chain([current], chain.filter((f) => !f.startsWith('scale=w=')), graph.label('pre'));
  chain.splice(0, chain.length, ...resize);
  const [picture, copy] = [graph.label('lit'), graph.label('sh')];
  graph.chain([pre], ['split'], [picture, copy]);
  const filters = shadowFilters(s, graph.pixels);
  const once = o.still ? ['trim=end_frame=1', ...filters, `loop=loop=${o.N - 1}:size=1:start=0`, ...o.retime] : filters;
  return [picture, graph.chain([copy], [...once, ...resize, ...shiftToFrame(o.first, o.fps)], graph.label('shadow'))];
};
