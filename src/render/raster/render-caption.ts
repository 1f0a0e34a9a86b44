/**
 * Draws one caption cue. Captions are text with defaults meant for subtitles over any picture.
 */
import type { FontRegistry } from './font-registry.ts';
import type { RasterImage } from './raster-image.ts';
import { renderText, type FrameSize, type TextStyle } from './render-text.ts';

/** Caption background when `background` is absent: black at ~63% opacity, legible over any footage. */
export const DEFAULT_CAPTION_BACKGROUND = '#000000a0';
/** Caption padding in pixels when `padding` is absent. */
export const DEFAULT_CAPTION_PADDING = 12;
/** Caption text size as a fraction of the frame height when `font.size` is absent… */
export const CAPTION_SIZE_FRACTION = 0.05;
/** …but never below this many pixels, so small frames stay legible. */
export const MIN_CAPTION_SIZE = 16;

/**
 * The style a captions asset's fields mean once defaults are applied. Differs from a text asset in
 * three defaults only: `font.size` = round(5% of the frame height), at least 16 px (36 px at 720p,
 * 54 px at 1080p); `background` = #000000a0; `padding` = 12 px. Everything else (white DejaVu Sans,
 * centred, 0.9 of the frame width, line height 1.2) is as for text. The engine places the image at
 * the bottom of the frame (clip `position` defaults to `bottom` for captions).
 */
export function captionStyle(style: TextStyle, frame: FrameSize): TextStyle {
  return {
    ...style,
    font: { ...style.font, size: style.font?.size ?? Math.max(MIN_CAPTION_SIZE, Math.round(frame.height * CAPTION_SIZE_FRACTION)) },
    background: style.background ?? DEFAULT_CAPTION_BACKGROUND,
    padding: style.padding ?? DEFAULT_CAPTION_PADDING,
  };
}

/**
 * Rasterizes one cue's text with the captions asset's style (see {@link captionStyle}). A cue with
 * no visible text gives a 2×2 transparent image, without the background box.
 *
 * @param pointer JSON Pointer of the captions asset, for font errors.
 */
export function renderCaption(style: TextStyle, cueText: string, frame: FrameSize, fonts: FontRegistry, pointer?: string): RasterImage {
  return renderText(captionStyle(style, frame), cueText, frame, fonts, pointer);
}
