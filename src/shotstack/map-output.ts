/**
 * Shotstack's `output` → Montage's `output`. Shotstack sizes a video by a preset `resolution` and
 * an `aspectRatio` (or an explicit `size`), defaults to 25 fps, and names its quality steps and
 * poster/thumbnail fields differently; `scaleTo` renders the same edit at another preset's size,
 * which is Montage's `output.scale`.
 */
import { isObject, type EditPath, type JsonObject, type ProblemList } from './edit-problems.ts';

/** Width × height at 16:9, and each preset's frame rate when `fps` is not given. */
export const RESOLUTIONS: Record<string, { readonly w: number; readonly h: number; readonly fps: number }> = {
  preview: { w: 512, h: 288, fps: 15 },
  mobile: { w: 640, h: 360, fps: 25 },
  sd: { w: 1024, h: 576, fps: 25 },
  hd: { w: 1280, h: 720, fps: 25 },
  '1080': { w: 1920, h: 1080, fps: 25 },
  '4k': { w: 3840, h: 2160, fps: 25 },
};

const FORMATS = new Set(['mp4', 'gif', 'jpg', 'png', 'mp3']);
const QUALITY: Record<string, string> = { verylow: 'draft', low: 'low', medium: 'medium', high: 'high', veryhigh: 'high' };
const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** The frame size of a preset in an aspect ratio: the preset's height is kept for 1:1, 4:5 and 4:3. */
export const presetSize = (resolution: string, aspect: string): { width: number; height: number } | undefined => {
  const r = RESOLUTIONS[resolution];
  if (!r) return undefined;
  switch (aspect) {
    case '16:9': return { width: r.w, height: r.h };
    case '9:16': return { width: r.h, height: r.w };
    case '1:1': return { width: r.h, height: r.h };
    case '4:5': return { width: even((r.h * 4) / 5), height: r.h };
    case '4:3': return { width: even((r.h * 4) / 3), height: r.h };
    default: return undefined;
  }
};

const KNOWN = new Set(['format', 'resolution', 'aspectRatio', 'size', 'fps', 'scaleTo', 'quality', 'repeat', 'mute', 'range', 'poster', 'thumbnail', 'destinations']);

export interface MappedOutput {
  readonly output: JsonObject;
  /** `mute: true`: the caller drops every sound from the timeline. */
  readonly mute: boolean;
  /** `repeat: false` on a GIF: it plays once (a render job option, RenderJob.gifPlaysOnce). */
  readonly gifPlaysOnce?: boolean;
}

export function mapOutput(o: unknown, path: EditPath, problems: ProblemList): MappedOutput {
  const out: JsonObject = {};
  if (!isObject(o)) {
    problems.add(path, 'is required: an object with at least "format" (mp4, gif, jpg, png or mp3).');
    return { output: { format: 'mp4' }, mute: false };
  }
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) problems.add([...path, k], `is not a Shotstack output field Montage knows; remove it.`);

  const format = o.format ?? 'mp4';
  if (typeof format !== 'string' || !FORMATS.has(format)) {
    problems.add([...path, 'format'], `"${String(format)}" is not supported: use mp4, gif, jpg, png or mp3${format === 'bmp' ? ' (png is lossless like bmp)' : ''}.`);
  } else out.format = format;

  const resolution = typeof o.resolution === 'string' ? o.resolution : undefined;
  const aspect = typeof o.aspectRatio === 'string' ? o.aspectRatio : '16:9';
  let size: { width: number; height: number } | undefined;
  if (o.size !== undefined) {
    const s = o.size;
    if (!isObject(s) || typeof s.width !== 'number' || typeof s.height !== 'number') {
      problems.add([...path, 'size'], 'must be {"width": N, "height": N} in pixels.');
    } else {
      size = { width: s.width, height: s.height };
      for (const k of Object.keys(s)) if (k !== 'width' && k !== 'height') problems.add([...path, 'size', k], 'is not a size field: use width and height.');
    }
  } else if (resolution !== undefined || o.aspectRatio !== undefined) {
    size = presetSize(resolution ?? 'sd', aspect);
    if (resolution !== undefined && !RESOLUTIONS[resolution]) problems.add([...path, 'resolution'], `"${resolution}" is not a preset: use preview, mobile, sd, hd, 1080 or 4k, or give "size".`);
    else if (!size) problems.add([...path, 'aspectRatio'], `"${aspect}" is not supported: use 16:9, 9:16, 1:1, 4:5 or 4:3.`);
  }
  // Shotstack's default when neither is given is sd at 16:9.
  size ??= presetSize('sd', '16:9')!;
  out.width = size.width;
  out.height = size.height;

  if (o.fps !== undefined) {
    if (typeof o.fps !== 'number' && typeof o.fps !== 'string') problems.add([...path, 'fps'], 'must be a number of frames per second.');
    else {
      const fps = Number(o.fps);
      if (!(fps >= 1 && fps <= 60)) problems.add([...path, 'fps'], `${String(o.fps)} is out of range: use 1 to 60.`);
      else out.fps = fps;
    }
  } else {
    out.fps = RESOLUTIONS[resolution ?? '']?.fps ?? 25;
  }
  if (format === 'gif' && typeof out.fps === 'number' && out.fps > 30) out.fps = 30;

  if (o.scaleTo !== undefined) {
    const target = typeof o.scaleTo === 'string' ? presetSize(o.scaleTo, aspect) : undefined;
    if (!target || o.scaleTo === '4k') problems.add([...path, 'scaleTo'], `"${String(o.scaleTo)}" is not a scaleTo preset: use preview, mobile, sd, hd or 1080.`);
    else out.scale = Math.round((target.width / size.width) * 10000) / 10000;
  }

  if (o.quality !== undefined) {
    const q = typeof o.quality === 'string' ? QUALITY[o.quality] : undefined;
    if (!q) problems.add([...path, 'quality'], `"${String(o.quality)}" is not a quality: use verylow, low, medium, high or veryhigh.`);
    else out.quality = q;
  }
  // Shotstack's repeat applies to GIFs only; false plays the GIF once.
  if (o.repeat !== undefined && typeof o.repeat !== 'boolean') problems.add([...path, 'repeat'], 'must be true (a GIF loops) or false (it plays once).');
  if (o.range !== undefined) {
    const r = o.range;
    if (!isObject(r) || typeof r.start !== 'number' || typeof r.length !== 'number') problems.add([...path, 'range'], 'must be {"start": seconds, "length": seconds}.');
    else {
      for (const k of Object.keys(r)) if (k !== 'start' && k !== 'length') problems.add([...path, 'range', k], 'is not a range field: use start and length.');
      out.range = { start: r.start, length: r.length };
    }
  }
  // Shotstack's capture is a point on the timeline; Montage's poster and thumbnail time counts from
  // the start of what is rendered (both are cut from the rendered file), so a range moves it, and a
  // capture outside the range has no frame to be cut from.
  const rangeTime = (capture: number, kind: 'poster' | 'thumbnail'): number | undefined => {
    if (!out.range) return capture;
    const { start, length } = out.range as { start: number; length: number };
    if (capture >= start && capture < start + length) return Math.round((capture - start) * 1e6) / 1e6;
    problems.add([...path, kind, 'capture'], `${capture} s is outside the rendered range (${start}–${start + length} s): Montage cuts the ${kind} from the rendered video; capture a point in the range.`);
    return undefined;
  };
  if (o.poster !== undefined) {
    const p = o.poster;
    if (!isObject(p) || typeof p.capture !== 'number') problems.add([...path, 'poster'], 'must be {"capture": seconds}.');
    else {
      for (const k of Object.keys(p)) if (k !== 'capture') problems.add([...path, 'poster', k], 'is not a poster field: use capture.');
      const time = rangeTime(p.capture, 'poster');
      if (time !== undefined) out.poster = { time };
    }
  }
  if (o.thumbnail !== undefined) {
    const t = o.thumbnail;
    if (!isObject(t) || typeof t.capture !== 'number') problems.add([...path, 'thumbnail'], 'must be {"capture": seconds, "scale": 0–1}.');
    else if (t.scale !== undefined && (typeof t.scale !== 'number' || !(t.scale > 0 && t.scale <= 1))) problems.add([...path, 'thumbnail', 'scale'], 'must be a fraction of the output\'s size, above 0 and at most 1.');
    else {
      for (const k of Object.keys(t)) if (k !== 'capture' && k !== 'scale') problems.add([...path, 'thumbnail', k], 'is not a thumbnail field: use capture and scale.');
      const scale = typeof t.scale === 'number' ? t.scale : 0.3;
      const time = rangeTime(t.capture, 'thumbnail');
      if (time !== undefined) out.thumbnail = { time, width: Math.max(16, Math.round(size.width * scale)) };
    }
  }
  if (o.destinations !== undefined) {
    if (!Array.isArray(o.destinations)) problems.add([...path, 'destinations'], 'must be an array.');
    else o.destinations.forEach((d, i) => {
      if (!isObject(d) || d.provider !== 'shotstack') {
        const provider = isObject(d) ? String(d.provider) : String(d);
        problems.add([...path, 'destinations', i, 'provider'], `"${provider}" is not supported: Montage keeps every output in its own storage (provider "shotstack"); fetch the output URL and copy it where you need it.`);
      }
    });
  }
  if (format === 'mp3' || o.mute === true) {
    // nothing to set on Montage's output: mp3 is audio only; mute is applied to the timeline.
  }
  if (o.mute !== undefined && typeof o.mute !== 'boolean') problems.add([...path, 'mute'], 'must be true or false.');
  return { output: out, mute: o.mute === true, ...(o.repeat === false && format === 'gif' ? { gifPlaysOnce: true } : {}) };
}
