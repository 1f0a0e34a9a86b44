/**
 * The warnings `montage validate`, `POST /v1/validate` and every submitted render give for text
 * characters that no font can draw (they would show as empty boxes). Checked against the bundled
 * fonts and Montage's fallback chain, before anything is downloaded: a text whose family list names
 * a font declared in `fonts`, and captions read from a `src` file, are checked at render time
 * instead, once that file is loaded (prepare-timeline.ts).
 */
import type { Composition, TextAsset } from '../../composition/schema.ts';
import type { FieldProblem } from '../../errors/registry.ts';
import { FontRegistry } from './font-registry.ts';
import { styledSpans } from './text-spans.ts';
import { captionGlyphWarnings } from '../captions/caption-glyph-warnings.ts';

export function glyphWarnings(c: Composition): FieldProblem[] {
  const warnings: FieldProblem[] = [];
  const declared = new Set((c.fonts ?? []).map((f) => f.family.trim().toLowerCase()));
  const namesDeclared = (family: string | undefined) =>
    family !== undefined && family.split(',').some((n) => declared.has(n.trim().replace(/^["']|["']$/g, '').toLowerCase()));
  let fonts: FontRegistry | undefined;
  c.tracks.forEach((t, ti) => t.clips.forEach((clip, ci) => {
    const a = clip.asset;
    const pointer = `/tracks/${ti}/clips/${ci}/asset`;
    if (a.type !== 'text' && a.type !== 'captions') return;
    const spanFamilies = a.type === 'text' && typeof a.text !== 'string' ? a.text.map((s) => s.font?.family) : [];
    if ([a.font?.family, ...spanFamilies].some(namesDeclared)) return;
    fonts ??= new FontRegistry({ forDrawing: false }); // coverage only: Skia is not loaded for this
    const check = (text: TextAsset['text'], at: string) => {
      try {
        styledSpans({ text, font: a.font, transform: a.transform }, fonts!, 1, at, (w) => warnings.push(w));
      } catch {
        // An unknown family is validation's to report, not this check's.
      }
    };
    if (a.type === 'text') check(a.text, pointer);
    else if (a.src === undefined) {
      // Inline cues or words; a `src` file is checked once the render has read it.
      try {
        warnings.push(...captionGlyphWarnings(a, a.words ? { words: a.words } : { cues: a.cues ?? [] }, fonts, pointer, false));
      } catch {
        // As above.
      }
    }
  }));
  return warnings;
}
