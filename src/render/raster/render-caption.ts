/**
 * Draws one caption cue. Captions are text with defaults meant for subtitles over any picture.
 */
import type { FontRegistry } from './font-registry.ts';
import type { RasterImage } from './raster-image.ts';
import { renderText, type FrameSize, type TextStyle } from './render-text.ts';
import { DEFAULT_CAPTION_PADDING, defaultCaptionSize } from '../../composition/caption-defaults.ts';

/** Caption background when `background` is absent: black at ~63% opacity, legible over any footage. */
export const DEFAULT_CAPTION_BACKGROUND = '#000000a0';
export { DEFAULT_CAPTION_PADDING, CAPTION_SIZE_FRACTION, MIN_CAPTION_SIZE } from '../../composition/caption-defaults.ts';

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
    font: { ...style.font, size: style.font?.size ?? defaultCaptionSize(frame.height) },
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
