/**
 * SVG images: telling one from other files, checking that it is safe to draw, and its intrinsic
 * size. Drawn by Skia's SVG module through @napi-rs/canvas (the same library that draws text), at
 * the size the clip is drawn (src/render/raster/rasterize-svg.ts), so it is sharp at any scale.
 *
 * Skia resolves an `<image href>` against the local file system, so an SVG that names any resource
 * outside itself (a path, a URL, a CSS `url()` or `@import`, an XML entity) is refused: a
 * composition may only draw what it sends. Fragment references (`#id`) and `data:` URLs are fine.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MontageError } from '../errors/registry.ts';
import type { MediaInfo } from './media-info.ts';

// @napi-rs/canvas (about 50 ms of CPU to load) is loaded when an SVG is first read, not by every
// command that may probe media (montage validate of a composition with no SVG never loads it).
const require = createRequire(import.meta.url);
const skiaImage = (): typeof import('@napi-rs/canvas').Image => (require('@napi-rs/canvas') as typeof import('@napi-rs/canvas')).Image;

/** Largest SVG file read, in bytes. */
export const MAX_SVG_BYTES = 10 * 1024 * 1024;

/** Whether the file at `path` is an SVG image: named `.svg`, or an XML/SVG document by its first bytes. */
export function isSvgFile(path: string): boolean {
  if (/\.svgz?$/i.test(path)) return true;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(1024);
    const n = readSync(fd, head, 0, head.length, 0);
    return looksLikeSvg(head.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** An SVG document's start: optional BOM, XML declaration, comments and doctype, then `<svg`. */
export function looksLikeSvg(head: string): boolean {
  return /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+svg[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(head);
}

/** A reference to something outside the document, or undefined if there is none. */
export function externalReference(svg: string): string | undefined {
  if (/<!ENTITY/i.test(svg)) return 'an XML entity declaration';
  // Each quote kind on its own: a value in double quotes may hold a single quote (and the other way
  // round), and such a value must not slip past as if the attribute were not there.
  const href = /\b(?:xlink:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
  for (const m of svg.matchAll(href)) {
    const v = m[1] ?? m[2] ?? '';
    if (!/^(#|data:)/i.test(v.trim())) return `href="${v.slice(0, 80)}"`;
  }
  const url = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^"')]*))\s*\)/gi;
  for (const m of svg.matchAll(url)) {
    const v = m[1] ?? m[2] ?? m[3] ?? '';
    if (!/^(#|data:)/i.test(v.trim())) return `url(${v.slice(0, 80)})`;
  }
  if (/@import/i.test(svg)) return 'a CSS @import';
  return undefined;
}

/**
 * Reads and checks the SVG at `path` and returns it with its intrinsic size in CSS pixels (its
 * `width`/`height`, or 300 px wide in the proportions of its `viewBox` when it gives no size).
 *
 * @param pointer the `src` field, for the error's problems.
 * @throws MontageError MONTAGE_E_ASSET_UNREADABLE for a malformed SVG (nothing drawable, or XML
 *   Skia cannot parse); MONTAGE_E_ASSET_UNSUPPORTED for one that references external resources
 *   or is larger than {@link MAX_SVG_BYTES}.
 */
export function loadSvg(path: string, pointer: string): { bytes: Buffer; width: number; height: number } {
  const bytes = readFileSync(path);
  if (bytes.length > MAX_SVG_BYTES) {
    throw new MontageError('MONTAGE_E_ASSET_UNSUPPORTED', `The SVG at ${pointer} is larger than ${MAX_SVG_BYTES / 1024 / 1024} MiB.`,
      { problems: [{ pointer, detail: 'is an SVG larger than 10 MiB: simplify it or export a PNG' }] });
  }
  const text = bytes.toString('utf8');
  const external = externalReference(text);
  if (external) {
    throw new MontageError('MONTAGE_E_ASSET_UNSUPPORTED', `The SVG at ${pointer} refers to a resource outside itself (${external}).`,
      { problems: [{ pointer, detail: `is an SVG that refers to ${external}: embed images as data: URLs and styles inline` }] });
  }
  const malformed = (why: string, cause?: unknown): never => {
    throw new MontageError('MONTAGE_E_ASSET_UNREADABLE', `The SVG at ${pointer} could not be drawn: ${why}.`,
      { problems: [{ pointer, detail: `is not a well-formed SVG image (${why}): check that it opens in a browser, or export it again` }], cause });
  };
  if (!looksLikeSvg(text)) malformed('it does not start with an <svg> element');
  const Image = skiaImage();
  const img = new Image();
  let failed: unknown;
  img.onerror = (e) => { failed = e; };
  try {
    img.src = bytes;
  } catch (e) {
    failed = e;
  }
  if (failed !== undefined) malformed('its XML could not be parsed', failed);
  if (!(img.width > 0 && img.height > 0)) malformed('it has no drawable size');
  return { bytes, width: img.width, height: img.height };
}

/** Probe answer for an SVG: one still picture of its intrinsic size, with alpha. */
export async function probeSvg(path: string, pointer: string): Promise<MediaInfo> {
  const { width, height } = loadSvg(path, pointer);
  return { path, container: 'svg', video: { codec: 'svg', width, height, still: true, hasAlpha: true } };
}
