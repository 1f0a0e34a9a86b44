/**
 * The pixel formats every layer is drawn and composited in, one set per render.
 *
 * A video encoder takes 4:2:0 YUV, so a video's layers are made in it: no conversion per layer at
 * the end, and half the bytes of RGB. A still (png, jpg) is drawn in planar RGB instead: 4:2:0
 * shares one chroma sample between two pixels, so a sharp red/blue edge on an odd column came out
 * with a purple fringe, and the limited-range round trip left flat colours a level or two off
 * (#ff0000 came out 253,0,0). In RGB a flat colour stays exact and an edge stays sharp.
 *
 * A GIF is drawn in RGB too: its palette is RGB, and its frame may have odd sides, where 4:2:0's
 * even grid put a clip anchored to the right or bottom edge one pixel short of it (overlay rounds a
 * layer's place down to even, and an even-sized clip's place there is odd). RGB has no such grid.
 */
import type { OutputFormat } from '../composition/schema.ts';

export interface WorkingPixels {
  /** A layer without alpha, and the base of an opaque background. */
  readonly opaque: string;
  /** A layer with alpha, and the base of a transparent background. */
  readonly alpha: string;
  /** `overlay`'s `format` option that composites in these formats. */
  readonly overlay: string;
  /** The lookup filter that takes these formats (opacity, a shadow's colour). */
  readonly lut: 'lutyuv' | 'lutrgb';
  /** 4:2:0 chroma: overlay places layers on even pixels, and a frame's sides must be even. */
  readonly evenGrid: boolean;
  /** The format a whole-frame canvas with alpha is drawn in, and overlay's option for it (look/blend.ts). */
  readonly canvas: { readonly pix: string; readonly overlay: string };
}

export const YUV_PIXELS: WorkingPixels = {
  opaque: 'yuv420p', alpha: 'yuva420p', overlay: 'yuv420', lut: 'lutyuv', evenGrid: true, canvas: { pix: 'yuva444p', overlay: 'yuv444' },
};
export const RGB_PIXELS: WorkingPixels = {
  opaque: 'gbrp', alpha: 'gbrap', overlay: 'gbrp', lut: 'lutrgb', evenGrid: false, canvas: { pix: 'gbrap', overlay: 'gbrp' },
};

/** Stills and GIF (the formats that may have odd sides, and whose pixels are RGB) are drawn in RGB. */
export const workingPixels = (format: OutputFormat): WorkingPixels =>
  (format === 'png' || format === 'jpg' || format === 'gif' ? RGB_PIXELS : YUV_PIXELS);
