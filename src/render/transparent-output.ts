/**
 * `background: "transparent"`: the base layer is transparent black, every layer is composited with
 * its alpha kept (overlay keeps the main input's alpha when the main input has one), and the last
 * step converts to the pixel format of an encoder that stores alpha: VP9 yuva420p (webm, with its
 * `alpha_mode` tag), ProRes 4444 yuva444p10le (mov), RGBA (png), or RGBA into a palette with one
 * transparent entry (gif). Formats without alpha never get here: validation refuses them.
 */
import type { OutputFormat } from '../composition/schema.ts';
import { ffColour } from './filter-graph.ts';

export const TRANSPARENT = 'transparent';

export const isTransparent = (background: string): boolean => background === TRANSPARENT;

/** The base layer's `color` source colour and pixel format. */
export const baseLayer = (background: string): { colour: string; pix: string } => isTransparent(background)
  ? { colour: 'black@0', pix: 'yuva420p' }
  : { colour: ffColour(background).replace(/@.*/, ''), pix: 'yuv420p' };

/** The last filter before the encoder. */
export const finalFormat = (format: OutputFormat, transparent: boolean): string => {
  if (format === 'png') return transparent ? 'format=rgba' : 'format=rgb24';
  if (!transparent) return 'format=yuv420p';
  return format === 'mov' ? 'format=yuva444p10le' : 'format=yuva420p';
};

/** GIF: frames go to palettegen as RGBA, so the palette reserves its transparent entry. */
export const gifInputFormat = (transparent: boolean): string[] => (transparent ? ['format=rgba'] : []);
