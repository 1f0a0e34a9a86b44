/**
 * The composition's colour syntax (CSS hex: `#rgb`, `#rrggbb`, `#rrggbbaa`) and its two spellings
 * downstream: a CSS `rgba()` string for the canvas, and ffmpeg's `0xRRGGBB@alpha` for filters.
 */
import { MontageError } from '../../errors/registry.ts';

/** A parsed colour. `r`, `g`, `b` are 0–255 integers; `a` is the alpha byte 0–255 (255 = opaque). */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/**
 * Parses a composition colour. The schema has already checked the syntax, so a failure here means a
 * caller skipped validation; it is still reported as an invalid composition, with `pointer` when given.
 */
export function parseColour(hex: string, pointer?: string): Rgba {
  const m = HEX.exec(hex);
  if (!m) {
    const detail = `"${hex}" is not a colour; use CSS hex: #rgb, #rrggbb or #rrggbbaa.`;
    throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', detail, {
      problems: pointer === undefined ? [] : [{ pointer, detail }],
    });
  }
  let digits = m[1];
  if (digits.length === 3) digits = [...digits].map((d) => d + d).join('');
  const byte = (i: number) => parseInt(digits.slice(i, i + 2), 16);
  return { r: byte(0), g: byte(2), b: byte(4), a: digits.length === 8 ? byte(6) : 255 };
}

/** `rgba(r, g, b, a)` with `a` in 0–1, as the canvas wants it. */
export function toCssColour(hex: string, pointer?: string): string {
  const { r, g, b, a } = parseColour(hex, pointer);
  return `rgba(${r}, ${g}, ${b}, ${formatAlpha(a)})`;
}

/**
 * `0xRRGGBB@alpha`, the form ffmpeg's colour options take (e.g. `color=c=0x000000@0.6275`).
 *
 * ffmpeg turns the decimal alpha back into a byte by truncating `255 * alpha`, so a plainly rounded
 * decimal can come back one lower (0x01 → 0.0039 → 0.99 → 0). The decimal written here is nudged a
 * quarter of a byte up, so that every alpha byte survives the round trip exactly.
 */
export function toFfmpegColour(hex: string, pointer?: string): string {
  const { r, g, b, a } = parseColour(hex, pointer);
  const rgb = ((r << 16) | (g << 8) | b).toString(16).padStart(6, '0').toUpperCase();
  return `0x${rgb}@${formatAlpha(a, 0.25)}`;
}

/** Alpha byte → shortest decimal in 0–1 (4 places), optionally nudged up by `bias` of a byte. */
function formatAlpha(byte: number, bias = 0): string {
  if (byte === 255) return '1';
  if (byte === 0) return '0';
  return String(Number(((byte + bias) / 255).toFixed(4)));
}
