/**
 * Decoded frames as raw rgb24, with the few questions render tests ask of them: the colour at a
 * pixel, the mean colour of a region, and where the pixels of some colour lie.
 */
import { ffmpeg, ffprobe } from './ffmpeg-tools.ts';

export type Rgb = readonly [number, number, number];

export interface Picture {
  readonly width: number;
  readonly height: number;
  /** rgb24, row by row. */
  readonly data: Buffer;
}

/** The colour of one pixel. */
export const pixel = (p: Picture, x: number, y: number): Rgb => {
  const i = 3 * (Math.round(y) * p.width + Math.round(x));
  return [p.data[i], p.data[i + 1], p.data[i + 2]];
};

/** The mean colour of a w×h region whose top-left corner is (x, y): robust to codec noise. */
export const regionMean = (p: Picture, x: number, y: number, w: number, h: number): Rgb => {
  const sum = [0, 0, 0];
  for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) {
    const c = pixel(p, i, j);
    sum[0] += c[0]; sum[1] += c[1]; sum[2] += c[2];
  }
  const n = w * h;
  return [Math.round(sum[0] / n), Math.round(sum[1] / n), Math.round(sum[2] / n)];
};

/** The mean colour of a 5×5 patch centred on (x, y). */
export const patch = (p: Picture, x: number, y: number): Rgb => regionMean(p, Math.max(0, Math.round(x) - 2), Math.max(0, Math.round(y) - 2), 5, 5);

export const hex = (h: string): Rgb => {
  let s = h.replace('#', '');
  if (s.length === 3) s = s.split('').map((c) => c + c).join('');
  return [parseInt(s.slice(0, 2), 16), parseInt(s.slice(2, 4), 16), parseInt(s.slice(4, 6), 16)];
};

/** Largest per-channel difference. */
export const colourDistance = (a: Rgb, b: Rgb): number => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

/** Whether `actual` is `expected` (hex or rgb) within `tolerance` on every channel (default 40: 8-bit 4:2:0 codecs). */
export const isColour = (actual: Rgb, expected: string | Rgb, tolerance = 40): boolean =>
  colourDistance(actual, typeof expected === 'string' ? hex(expected) : expected) <= tolerance;

export const luma = (c: Rgb): number => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];

/** Bounding box of the pixels that satisfy `match`, or undefined when none does. */
export const extentOf = (p: Picture, match: (c: Rgb) => boolean, region = { x: 0, y: 0, w: p.width, h: p.height }) => {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  let count = 0;
  for (let y = region.y; y < region.y + region.h; y++) for (let x = region.x; x < region.x + region.w; x++) {
    if (!match(pixel(p, x, y))) continue;
    count++;
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return count === 0 ? undefined : { x0, y0, x1, y1, width: x1 - x0 + 1, height: y1 - y0 + 1, count, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2 };
};

/** Width and height of the first video stream. */
export const videoSize = async (path: string): Promise<{ width: number; height: number }> => {
  const out = JSON.parse((await ffprobe('-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', path)).toString());
  return { width: out.streams[0].width, height: out.streams[0].height };
};

/** Every frame of a video (or the one frame of a still), as decoded, in presentation order. */
export const decodeFrames = async (path: string): Promise<Picture[]> => {
  const { width, height } = await videoSize(path);
  const raw = await ffmpeg('-i', path, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  const size = width * height * 3;
  const frames: Picture[] = [];
  for (let o = 0; o + size <= raw.length; o += size) frames.push({ width, height, data: raw.subarray(o, o + size) });
  return frames;
};

/** The one picture of a still (png, jpg) or the first frame of anything else. */
export const decodePicture = async (path: string): Promise<Picture> => (await decodeFrames(path))[0];

/** Frames of a rendered video by timeline time, on its frame grid. */
export const frameAt = (frames: readonly Picture[], fps: number, seconds: number): Picture => {
  const i = Math.round(seconds * fps);
  if (i < 0 || i >= frames.length) throw new RangeError(`no frame at ${seconds} s (${frames.length} frames)`);
  return frames[i];
};
