/**
 * The warnings for caption characters that no font can draw, the same as a text asset's
 * (text-spans.ts): inline `cues` and `words` one warning per cue or word at its own pointer
 * (`…/asset/cues/3/text`, `…/asset/words/12/text`); a `src` file, read only at render time, one
 * warning for the whole file at `…/asset/src`, naming every such character and when it is first
 * spoken. Checked with the caption's font (its family list, then Montage's fallback chain) after
 * `transform`.
 */
import type { CaptionsAsset } from '../../composition/schema.ts';
import type { FieldProblem } from '../../errors/registry.ts';
import type { FontRegistry } from '../raster/font-registry.ts';
import { missingCharactersDetail, styledSpans } from '../raster/text-spans.ts';
import { applyTextTransform } from '../raster/text-transform.ts';
import type { CaptionSource } from './read-transcript.ts';

/**
 * @param assetPointer JSON Pointer of the captions asset (`/tracks/0/clips/1/asset`).
 * @param fromFile the source was read from `src` (else it is the asset's own `cues` or `words`).
 * @throws MontageError for a font family that is not available (as text does).
 */
export function captionGlyphWarnings(
  a: Pick<CaptionsAsset, 'font' | 'transform'>, source: CaptionSource, fonts: FontRegistry, assetPointer: string, fromFile: boolean,
): FieldProblem[] {
  const items = source.words ? source.words.map((w, k) => ({ text: w.text, start: w.start, at: `${assetPointer}/words/${k}` }))
    : (source.cues ?? []).map((c, k) => ({ text: c.text, start: c.start, at: `${assetPointer}/cues/${k}` }));
  // The font is resolved once (a file of 50 000 words is checked in one pass).
  const font = styledSpans({ text: ' ', font: a.font }, fonts, 1, assetPointer)[0].style.font;
  const warnings: FieldProblem[] = [];
  const missing = new Map<string, number>();
  for (const item of items) {
    const found = fonts.missingCharacters(applyTextTransform(item.text, a.transform), font);
    if (!fromFile && found.length > 0) warnings.push({ pointer: `${item.at}/text`, detail: missingCharactersDetail(found) });
    for (const ch of found) if (!missing.has(ch)) missing.set(ch, item.start);
  }
  if (fromFile && missing.size > 0) {
    const first = Math.min(...missing.values());
    warnings.push({ pointer: `${assetPointer}/src`, detail: missingCharactersDetail([...missing.keys()], `, first at ${first.toFixed(2)} s into the clip`) });
  }
  return warnings;
}
