/**
 * `background: "transparent"`: the base layer is transparent black, every layer is composited with
 * its alpha kept (overlay keeps the main input's alpha when the main input has one), and the last
 * step converts to the pixel format of an encoder that stores alpha: VP9 yuva420p (webm, with its
 * `alpha_mode` tag), ProRes 4444 yuva444p10le (mov), RGBA (png), or RGBA into a palette with one
 * transparent entry (gif, its alpha dithered: gif-output.ts). Formats without alpha never get here: validation refuses them.
 */
import type { OutputFormat } from '../composition/schema.ts';
import { ffColour } from './filter-graph.ts';
import type { WorkingPixels } from './working-pixels.ts';

export const TRANSPARENT = 'transparent';

export const isTransparent = (background: string): boolean => background === TRANSPARENT;

/** The base layer's `color` source colour and pixel format (one of the render's working formats). */
export const baseLayer = (background: string, pixels: WorkingPixels): { colour: string; pix: string } => isTransparent(background)
  ? { colour: 'black@0', pix: pixels.alpha }
  : { colour: ffColour(background).replace(/@.*/, ''), pix: pixels.opaque };

/** The last filter before the encoder. */
export const finalFormat = (format: OutputFormat, transparent: boolean): string => {
  if (format === 'png') return transparent ? 'format=rgba' : 'format=rgb24';
  // Full-range 4:4:4: a JPEG still keeps the colour of every pixel (4:2:0 fringed sharp edges).
  if (format === 'jpg') return 'format=yuvj444p';
  if (!transparent) return 'format=yuv420p';
  return format === 'mov' ? 'format=yuva444p10le' : 'format=yuva420p';
};

