/**
 * Animated WebP images (a VP8X header with the animation flag, then ANIM/ANMF chunks). ffmpeg 5.1's
 * WebP decoder reads still WebPs only: on an animated one ffprobe reports a 0×0 stream ("image
 * data not found") and the file was refused as damaged. An image asset shows a file's first frame
 * (as for a GIF), so an animated WebP is probed from its header here and its first frame decoded
 * by Skia (@napi-rs/canvas, already used for SVG and text) into a PNG before planning
 * (src/render/prepare-animated-webp.ts).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MontageError } from '../errors/registry.ts';
import type { MediaInfo } from './media-info.ts';

// Loaded when an animated WebP is first decoded (about 50 ms of CPU), as svg-image.ts does.
const require = createRequire(import.meta.url);
const canvasModule = (): typeof import('@napi-rs/canvas') => require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');

/**
 * Largest first frame decoded in the render's own process (4 bytes a pixel: 64 MiB), where a
 * decoder's memory is not capped as ffmpeg's and ffprobe's are.
 */
export const MAX_ANIMATED_WEBP_PIXELS = 4096 * 4096;

/** Canvas size and alpha flag of an animated WebP from its first 30 bytes; undefined for anything else. */
export const animatedWebpHeader = (head: Buffer): { width: number; height: number; alpha: boolean } | undefined => {
  if (head.length < 30 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 16) !== 'WEBPVP8X') return undefined;
  const flags = head[20];
  if (!(flags & 0x02)) return undefined;
  return { width: head.readUIntLE(24, 3) + 1, height: head.readUIntLE(27, 3) + 1, alpha: (flags & 0x10) !== 0 };
};

/** animatedWebpHeader of the file at `path` (undefined when it cannot be read or is not one). */
export const readAnimatedWebpHeader = (path: string): ReturnType<typeof animatedWebpHeader> => {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(30);
    return animatedWebpHeader(head.subarray(0, readSync(fd, head, 0, 30, 0)));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

/** The container name MediaInfo gives an animated WebP, whose `path` the planner must not hand to ffmpeg. */
export const ANIMATED_WEBP = 'webp_anim';

/**
 * The first frame of the animated WebP at `path` as a PNG.
 *
 * @throws MontageError MONTAGE_E_ASSET_UNSUPPORTED above {@link MAX_ANIMATED_WEBP_PIXELS};
 *   MONTAGE_E_ASSET_UNREADABLE when Skia cannot decode it.
 */
export const firstWebpFrame = (path: string, pointer: string): Buffer => {
  const header = readAnimatedWebpHeader(path);
  if (header && header.width * header.height > MAX_ANIMATED_WEBP_PIXELS) {
    throw new MontageError('MONTAGE_E_ASSET_UNSUPPORTED', `The animated WebP at ${pointer} is ${header.width}×${header.height}.`,
      { problems: [{ pointer, detail: `is an animated WebP of ${header.width}×${header.height}; animated WebPs may have at most 16 megapixels (e.g. 4096×4096): scale it down, or export its first frame as PNG` }] });
  }
  const { Image, createCanvas } = canvasModule();
  const img = new Image();
  let failed: unknown;
  img.onerror = (e) => { failed = e; };
  try {
    img.src = readFileSync(path);
  } catch (e) {
    failed = e;
  }
  if (failed !== undefined || !(img.width > 0 && img.height > 0)) {
    throw new MontageError('MONTAGE_E_ASSET_UNREADABLE', `The animated WebP at ${pointer} could not be decoded.`,
      { problems: [{ pointer, detail: 'is an animated WebP that could not be decoded: check that it opens in a browser, or export its first frame as PNG' }], cause: failed });
  }
  const canvas = createCanvas(img.width, img.height);
  canvas.getContext('2d').drawImage(img, 0, 0);
  return canvas.encodeSync('png');
};

/** Marks probed media as an animated WebP, so that its first frame is decoded before planning. */
export const asAnimatedWebp = (m: MediaInfo): MediaInfo => ({ ...m, container: ANIMATED_WEBP });
