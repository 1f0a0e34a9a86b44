/**
 * The pixel formats every layer is drawn and composited in, one set per render.
 *
 * A video encoder takes 4:2:0 YUV, so a video's layers are made in it: no conversion per layer at
 * the end, and half the bytes of RGB. A still (png, jpg) is drawn in planar RGB instead: 4:2:0
 * shares one chroma sample between two pixels, so a sharp red/blue edge on an odd column came out
 * with a purple fringe, and the limited-range round trip left flat colours a level or two off
 * (#ff0000 came out 253,0,0). In RGB a flat colour stays exact and an edge stays sharp.
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
}

export const YUV_PIXELS: WorkingPixels = { opaque: 'yuv420p', alpha: 'yuva420p', overlay: 'yuv420', lut: 'lutyuv' };
export const RGB_PIXELS: WorkingPixels = { opaque: 'gbrp', alpha: 'gbrap', overlay: 'gbrp', lut: 'lutrgb' };

export const workingPixels = (format: OutputFormat): WorkingPixels => (format === 'png' || format === 'jpg' ? RGB_PIXELS : YUV_PIXELS);
