/**
 * What the page changes in a composition before sending it, never in the editor's text:
 * draft quality, a smaller frame for quick looks, a still at the playhead, and a thumbnail for the
 * list of recent renders. Scaling is approximate on purpose: it multiplies the frame and every
 * pixel-sized field (font sizes, padding, strokes, shadows, shapes, `fit: none` images) so the
 * layout stays the same at a smaller size.
 */
type Json = Record<string, unknown>;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const even = (n: number) => Math.max(16, 2 * Math.round(n / 2));
const mul = (o: Json, k: string, s: number, fallback?: number) => {
  const v = o[k];
  if (typeof v === 'number') o[k] = Math.round(v * s * 100) / 100;
  else if (v === undefined && fallback !== undefined) o[k] = Math.round(fallback * s * 100) / 100;
};

const VIDEO_FORMATS = new Set(['mp4', 'webm', 'mov', 'gif']);

export interface RenderOptions {
  /** 1, 0.5 or 0.25 of the written frame size. */
  readonly scale: number;
  readonly draft: boolean;
}

export function prepareRender(raw: unknown, o: RenderOptions): unknown {
  if (!isObj(raw)) return raw;
  const c = clone(raw);
  const output = isObj(c.output) ? c.output : (c.output = {});
  if (o.draft) output.quality = 'draft';
  if (o.scale !== 1) scaleComposition(c, o.scale);
  const format = typeof output.format === 'string' ? output.format : 'mp4';
  if (VIDEO_FORMATS.has(format) && output.thumbnail === undefined) {
    output.thumbnail = { time: Math.min(1, estimateDuration(c) / 2), width: 160 }; // for the list of recent renders
  }
  return c;
}

/** A PNG of the frame at `time` seconds. */
export function prepareStill(raw: unknown, time: number, o: RenderOptions): unknown {
  if (!isObj(raw)) return raw;
  const c = clone(raw);
  if (o.scale !== 1) scaleComposition(c, o.scale);
  const output = isObj(c.output) ? c.output : (c.output = {});
  output.format = 'png';
  output.quality = 'draft';
  output.frame = Math.max(0, time);
  delete output.poster;
  delete output.thumbnail;
  delete output.range;
  return c;
}

function scaleComposition(c: Json, s: number) {
  const output = c.output as Json;
  output.width = even((typeof output.width === 'number' ? output.width : 1280) * s);
  output.height = even((typeof output.height === 'number' ? output.height : 720) * s);
  for (const track of Array.isArray(c.tracks) ? c.tracks : []) {
    for (const clip of isObj(track) && Array.isArray(track.clips) ? track.clips : []) {
      if (!isObj(clip) || !isObj(clip.asset)) continue;
      const a = clip.asset;
      if (a.type === 'text' || a.type === 'captions') {
        const font = isObj(a.font) ? a.font : (a.font = {});
        mul(font, 'size', s, 48);
        mul(a, 'padding', s);
      }
      if (a.type === 'shape') { mul(a, 'width', s); mul(a, 'height', s); mul(a, 'radius', s); }
      if (isObj(a.stroke)) mul(a.stroke, 'width', s);
      if (isObj(a.shadow)) { mul(a.shadow, 'blur', s); mul(a.shadow, 'x', s); mul(a.shadow, 'y', s); }
      if (clip.fit === 'none' && (a.type === 'image' || a.type === 'video')) mul(clip, 'scale', s, 1);
    }
  }
}

/** The timeline's length as written (the service's summary replaces it once known). */
export function estimateDuration(raw: unknown): number {
  if (!isObj(raw)) return 0;
  const output = isObj(raw.output) ? raw.output : {};
  if (typeof output.duration === 'number') return output.duration;
  let end = 0;
  for (const track of Array.isArray(raw.tracks) ? raw.tracks : []) {
    for (const clip of isObj(track) && Array.isArray(track.clips) ? track.clips : []) {
      if (isObj(clip) && typeof clip.start === 'number' && typeof clip.length === 'number') end = Math.max(end, clip.start + clip.length);
    }
  }
  return end;
}
