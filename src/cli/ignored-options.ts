/**
 * `montage render` options that a format cannot use. They are not refused (the render is still
 * what was asked for, only made in one process or without the cache), but never ignored silently:
 * each gives a warning that names the option and why.
 */
import type { OutputFormat } from '../composition/schema.ts';
import { CHUNKABLE } from '../render/chunk-plan.ts';
import { CACHEABLE } from '../render/engine.ts';
import { placeholderNames } from '../composition/apply-placeholders.ts';
import { didYouMean } from '../composition/did-you-mean.ts';

/** A warning about a command-line option: `warning --chunks: …` on stderr, `{option, detail}` in `--json`. */
export interface OptionWarning {
  readonly option: string;
  readonly detail: string;
}

const list = (formats: ReadonlySet<OutputFormat>) => [...formats].join(', ');

const WHY: Partial<Record<OutputFormat, string>> = {
  gif: 'a GIF\'s palette and frames are made in one pass over the whole animation, so its parts cannot be joined without re-encoding',
  png: 'a still is one frame', jpg: 'a still is one frame',
  mp3: 'audio is mixed in one pass anyway (chunks split the picture)', wav: 'audio is mixed in one pass anyway (chunks split the picture)',
};

/** Whether `--cache` serves renders of this format (else it is ignored: nothing reused, nothing stored). */
export const cachesPieces = (format: string): boolean => CACHEABLE.has(format as OutputFormat);

/** Warnings for `--chunks N` (N > 1) and `--cache` with a format that cannot use them. */
export const ignoredOptionWarnings = (format: string, o: { chunks: number; cache: boolean }): OptionWarning[] => [
  ...(o.chunks > 1 && !CHUNKABLE.has(format as OutputFormat)
    ? [{ option: '--chunks', detail: `ignored for ${format} output: rendered in one process, because ${WHY[format as OutputFormat] ?? 'its streams cannot be joined without re-encoding'}. Only ${list(CHUNKABLE)} are rendered in chunks.` }]
    : []),
  ...(o.cache && !cachesPieces(format)
    ? [{ option: '--cache', detail: `ignored for ${format} output: pieces are cached for ${list(CACHEABLE)} only; this render reuses nothing and stores nothing.` }]
    : []),
];

/**
 * Warnings for `--merge NAME=…` where the composition has no `{{NAME}}`: a typo (`--merge nmae=Ana`)
 * would otherwise be dropped without a word, and a placeholder with a default in the file's own
 * `merge` would render that default.
 */
export const unusedMergeWarnings = (raw: unknown, merge: Readonly<Record<string, unknown>>): OptionWarning[] => {
  const used = placeholderNames(raw);
  return Object.keys(merge).filter((name) => !used.includes(name)).map((name) => {
    const guess = didYouMean(name, used);
    return { option: `--merge ${name}`, detail: `no {{${name}}} placeholder in the composition, so this value is not used${guess ? `: did you mean "${guess}"?` : '.'}` };
  });
};
